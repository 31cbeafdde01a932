package dev.vigil.report.svg;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** An SVG string parsed as namespace-aware XML, with the look-ups the chart tests assert on. */
record SvgDocument(Document document) {
    static final String SVG_NAMESPACE = "http://www.w3.org/2000/svg";

    static SvgDocument parse(String svg) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            return new SvgDocument(factory.newDocumentBuilder()
                    .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8))));
        } catch (Exception e) {
            throw new AssertionError("not well-formed XML: " + e.getMessage() + "\n" + svg, e);
        }
    }

    Element root() {
        return document.getDocumentElement();
    }

    List<Element> all(String localName) {
        NodeList nodes = document.getElementsByTagNameNS(SVG_NAMESPACE, localName);
        List<Element> elements = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            elements.add((Element) nodes.item(i));
        }
        return elements;
    }

    /** The text of every {@code <text>} element, in document order. */
    List<String> texts() {
        return all("text").stream().map(Element::getTextContent).toList();
    }

    /** The text of every {@code <title>} element but the document's own. */
    List<String> tooltips() {
        return all("title").stream().filter(t -> t.getParentNode() != root()).map(Element::getTextContent).toList();
    }

    /** The rectangles drawn with this fill. */
    List<Element> rects(String fill) {
        return all("rect").stream().filter(r -> r.getAttribute("fill").equals(fill)).toList();
    }

    /** Every element name used, to check the output stays within what Batik draws. */
    List<String> elementNames() {
        NodeList nodes = document.getElementsByTagName("*");
        List<String> names = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            names.add(nodes.item(i).getLocalName());
        }
        return names;
    }

    static double number(Element element, String attribute) {
        return Double.parseDouble(element.getAttribute(attribute));
    }
}

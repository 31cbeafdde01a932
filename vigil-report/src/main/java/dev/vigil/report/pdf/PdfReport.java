package dev.vigil.report.pdf;

import static java.util.Objects.requireNonNull;

import com.openhtmltopdf.outputdevice.helper.BaseRendererBuilder.FSFontUseCase;
import com.openhtmltopdf.outputdevice.helper.BaseRendererBuilder.FontStyle;
import com.openhtmltopdf.pdfboxout.PdfBoxRenderer;
import com.openhtmltopdf.pdfboxout.PdfRendererBuilder;
import com.openhtmltopdf.svgsupport.BatikSVGDrawer;
import dev.vigil.model.ErrorCode;
import dev.vigil.model.VigilException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Calendar;
import java.util.EnumSet;
import java.util.GregorianCalendar;
import java.util.List;
import java.util.Optional;
import java.util.TimeZone;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSString;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentInformation;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.ErrorHandler;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

/**
 * Renders a report's XHTML to PDF with openhtmltopdf (CSS 2.1 with paged media: no flexbox or grid), drawing inline
 * {@code <svg>} charts through Batik.
 *
 * <h2>What it adds</h2>
 * A stylesheet placed before the document's own, so the document can override it: A4 pages with margins, the
 * embedded font as the default family, tables that keep their header row on each page, and the page number and count
 * in the footer ({@code @page} margin boxes), unless the document's own styles number the pages
 * ({@code counter(page)}), so a page is never numbered twice.
 *
 * <h2>Same report, same bytes</h2>
 * The PDF's dates come from the report, not the clock: from {@code <meta name="dcterms.created" content="ISO time">}
 * (else {@code date}) in the head, and without one the PDF has no dates. Its document id is a hash of the XHTML. The
 * font is embedded as a subset, and the subset's tag depends only on the glyphs used. So the same XHTML gives the same
 * bytes on the same machine; another machine may have other fonts.
 *
 * <h2>Fonts</h2>
 * DejaVu Sans (regular, bold, oblique) from the system's font folders where present, since it covers most scripts and
 * symbols reports hold; else Liberation Sans, which PDFBox ships, for every weight and style. Both serve text and SVG.
 *
 * <h2>Input</h2>
 * Well-formed XHTML: the document is parsed as XML first (no DTDs, no external entities), so a mistake is reported as
 * {@link ErrorCode#REPORT_DOCUMENT_INVALID} with its line and column instead of as a blank page. External resources
 * (images, stylesheets by URL) are not fetched: a report embeds what it shows.
 */
public final class PdfReport {
    /** The family name the default stylesheet and SVG text use for the embedded font. */
    public static final String FONT_FAMILY = "Vigil Sans";

    private static final List<Path> FONT_FOLDERS = List.of(Path.of("/usr/share/fonts/truetype/dejavu"),
            Path.of("/usr/share/fonts/dejavu"), Path.of("/usr/share/fonts/TTF"), Path.of("/usr/local/share/fonts"),
            Path.of("/Library/Fonts"), Path.of(System.getProperty("user.home", "."), "Library", "Fonts"),
            Path.of("C:\\Windows\\Fonts"));
    private static final String LIBERATION = "/org/apache/pdfbox/resources/ttf/LiberationSans-Regular.ttf";

    private static final String PAGE_STYLE = """
            @page { size: A4; margin: 18mm 16mm 20mm 16mm; }
            body { font-family: "%1$s", sans-serif; font-size: 10pt; line-height: 1.35; color: #1a1a1a; }
            table { border-collapse: collapse; -fs-table-paginate: paginate; }
            thead { display: table-header-group; }
            tr, img, svg { page-break-inside: avoid; }
            h1, h2, h3 { page-break-after: avoid; }
            """.formatted(FONT_FAMILY);
    private static final String PAGE_NUMBERS = """
            @page { @bottom-center { content: "Page " counter(page) " of " counter(pages); font-family: "%1$s";
              font-size: 8.5pt; color: #595959; } }
            """.formatted(FONT_FAMILY);

    static {
        com.openhtmltopdf.util.XRLog.setLoggerImpl(new Slf4jXrLogger());
    }

    private PdfReport() {}

    /**
     * The PDF of a well-formed XHTML document.
     *
     * @throws VigilException {@link ErrorCode#REPORT_DOCUMENT_INVALID} naming the line and column of malformed XHTML,
     *     {@link ErrorCode#INTERNAL} if rendering fails otherwise
     */
    public static byte[] render(String xhtml) {
        requireNonNull(xhtml, "xhtml is null");
        Document document = parse(xhtml);
        addPageStyle(document);
        Optional<Calendar> created = createdAt(document);
        try (ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024)) {
            PdfRendererBuilder builder = new PdfRendererBuilder();
            builder.useFastMode();
            builder.withW3cDocument(document, "about:blank");
            builder.useSVGDrawer(new BatikSVGDrawer());
            builder.withProducer("Vigil");
            // a report embeds what it shows: nothing is fetched, so rendering never reaches out or waits
            builder.useExternalResourceAccessControl((uri, type) -> uri != null && uri.startsWith("data:"),
                    com.openhtmltopdf.outputdevice.helper.ExternalResourceControlPriority.RUN_AFTER_RESOLVING_URI);
            useFonts(builder);
            try (PdfBoxRenderer renderer = builder.buildPdfRenderer()) {
                renderer.createPDFWithoutClosing();
                PDDocument pdf = renderer.getPdfDocument();
                stamp(pdf, created, xhtml);
                pdf.save(out);
            }
            return out.toByteArray();
        } catch (IOException | RuntimeException e) {
            if (e instanceof VigilException vigil) {
                throw vigil;
            }
            throw new VigilException(ErrorCode.INTERNAL, "could not render the report to PDF: " + e, e);
        }
    }

    // ------------------------------------------------------------------------------------------------------ input

    private static Document parse(String xhtml) {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        factory.setExpandEntityReferences(false);
        try {
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            factory.setFeature("http://xml.org/sax/features/external-general-entities", false);
            factory.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            DocumentBuilder parser = factory.newDocumentBuilder();
            parser.setErrorHandler(new ErrorHandler() {
                @Override
                public void warning(SAXParseException e) {}

                @Override
                public void error(SAXParseException e) throws SAXException {
                    throw e;
                }

                @Override
                public void fatalError(SAXParseException e) throws SAXException {
                    throw e;
                }
            });
            parser.setEntityResolver((publicId, systemId) -> new InputSource(new StringReader("")));
            return parser.parse(new InputSource(new StringReader(xhtml)));
        } catch (SAXParseException e) {
            throw new VigilException(ErrorCode.REPORT_DOCUMENT_INVALID, "the report's XHTML is not well-formed at line "
                    + e.getLineNumber() + ", column " + e.getColumnNumber() + ": " + e.getMessage()
                    + near(xhtml, e.getLineNumber()), e);
        } catch (SAXException | IOException | ParserConfigurationException e) {
            throw new VigilException(ErrorCode.REPORT_DOCUMENT_INVALID, "the report's XHTML cannot be read: "
                    + e.getMessage(), e);
        }
    }

    /** The offending line, shortened, for the error message. */
    private static String near(String text, int lineNumber) {
        String[] lines = text.split("\n", -1);
        if (lineNumber < 1 || lineNumber > lines.length) {
            return "";
        }
        String line = lines[lineNumber - 1].strip();
        return line.isEmpty() ? "" : " (line " + lineNumber + ": " + (line.length() > 120 ? line.substring(0, 120)
                + "…" : line) + ")";
    }

    /** Puts the default page style first in the head (creating one if need be), so the document's own CSS wins. */
    private static void addPageStyle(Document document) {
        Element root = document.getDocumentElement();
        String namespace = root.getNamespaceURI();
        Element head = firstChild(root, "head");
        if (head == null) {
            head = document.createElementNS(namespace, "head");
            root.insertBefore(head, root.getFirstChild());
        }
        Element style = document.createElementNS(namespace, "style");
        style.setAttribute("type", "text/css");
        boolean numbered = false;
        NodeList styles = document.getElementsByTagNameNS("*", "style");
        for (int i = 0; i < styles.getLength(); i++) {
            numbered |= styles.item(i).getTextContent().replaceAll("\\s+", "").contains("counter(page)");
        }
        style.setTextContent(numbered ? PAGE_STYLE : PAGE_STYLE + PAGE_NUMBERS);
        head.insertBefore(style, head.getFirstChild());
    }

    private static Element firstChild(Element parent, String localName) {
        NodeList children = parent.getChildNodes();
        for (int i = 0; i < children.getLength(); i++) {
            if (children.item(i) instanceof Element element && localName.equals(name(element))) {
                return element;
            }
        }
        return null;
    }

    private static String name(Element element) {
        return element.getLocalName() != null ? element.getLocalName() : element.getTagName();
    }

    /** The report's own time: {@code <meta name="dcterms.created">}, else {@code <meta name="date">}, in the head. */
    private static Optional<Calendar> createdAt(Document document) {
        Element head = firstChild(document.getDocumentElement(), "head");
        if (head == null) {
            return Optional.empty();
        }
        for (String wanted : List.of("dcterms.created", "date")) {
            NodeList metas = head.getElementsByTagNameNS("*", "meta");
            for (int i = 0; i < metas.getLength(); i++) {
                Element meta = (Element) metas.item(i);
                if (wanted.equalsIgnoreCase(meta.getAttribute("name")) && !meta.getAttribute("content").isBlank()) {
                    return Optional.of(calendar(meta.getAttribute("content").strip()));
                }
            }
        }
        return Optional.empty();
    }

    private static Calendar calendar(String text) {
        Instant instant;
        try {
            instant = text.length() == 10 ? java.time.LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant()
                    : OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            throw new VigilException(ErrorCode.REPORT_DOCUMENT_INVALID, "the report's <meta name=\"dcterms.created\">"
                    + " is '" + text + "', not an ISO date or time", "Write it as 2026-11-29 or 2026-11-29T08:00:00Z.",
                    e);
        }
        GregorianCalendar calendar = new GregorianCalendar(TimeZone.getTimeZone("UTC"));
        calendar.setTimeInMillis(instant.toEpochMilli());
        return calendar;
    }

    // ------------------------------------------------------------------------------------------------------ fonts

    private static void useFonts(PdfRendererBuilder builder) {
        EnumSet<FSFontUseCase> uses = EnumSet.of(FSFontUseCase.DOCUMENT, FSFontUseCase.SVG,
                FSFontUseCase.FALLBACK_PRE);
        Optional<Path> regular = systemFont("DejaVuSans.ttf");
        if (regular.isPresent()) {
            builder.useFont(regular.get().toFile(), FONT_FAMILY, 400, FontStyle.NORMAL, true, uses);
            systemFont("DejaVuSans-Bold.ttf").ifPresent(bold -> builder.useFont(bold.toFile(), FONT_FAMILY, 700,
                    FontStyle.NORMAL, true, uses));
            systemFont("DejaVuSans-Oblique.ttf").ifPresent(oblique -> builder.useFont(oblique.toFile(), FONT_FAMILY,
                    400, FontStyle.ITALIC, true, uses));
            systemFont("DejaVuSans-BoldOblique.ttf").ifPresent(both -> builder.useFont(both.toFile(), FONT_FAMILY,
                    700, FontStyle.ITALIC, true, uses));
            return;
        }
        for (int weight : new int[] {400, 700}) {
            for (FontStyle style : new FontStyle[] {FontStyle.NORMAL, FontStyle.ITALIC}) {
                builder.useFont(PdfReport::liberation, FONT_FAMILY, weight, style, true, uses);
            }
        }
    }

    private static InputStream liberation() {
        return requireNonNull(PdfReport.class.getResourceAsStream(LIBERATION), "PDFBox ships " + LIBERATION);
    }

    private static Optional<Path> systemFont(String file) {
        return FONT_FOLDERS.stream().map(folder -> folder.resolve(file)).filter(Files::isRegularFile).findFirst();
    }

    // --------------------------------------------------------------------------------------------------- metadata

    /** Dates from the report (or none) instead of the clock, and an id from the XHTML instead of from the time. */
    private static void stamp(PDDocument pdf, Optional<Calendar> created, String xhtml) {
        PDDocumentInformation information = pdf.getDocumentInformation();
        information.setCreationDate(created.orElse(null));
        information.setModificationDate(created.orElse(null));
        byte[] id = Arrays.copyOf(sha256(xhtml), 16);
        COSArray ids = new COSArray();
        ids.add(new COSString(id));
        ids.add(new COSString(id));
        pdf.getDocument().getTrailer().setItem(COSName.ID, ids);
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}

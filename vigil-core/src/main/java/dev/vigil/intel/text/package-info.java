/**
 * Indicators, CVE ids and ATT&amp;CK techniques found in free text, such as a threat report or an advisory: the first
 * step of the "impact of an external threat article" promptbook.
 *
 * <p>{@link dev.vigil.intel.text.TextIndicators#extract(String, dev.vigil.intel.text.TechniqueNames)} reads defanged
 * forms ({@code hxxp}, {@code [.]}, {@code [@]}...) as what they stand for and returns an
 * {@link dev.vigil.intel.text.Extraction}: each {@link dev.vigil.intel.text.Found} has a normalized value to match on
 * and the text as written with its offsets, so that a report can quote and highlight it. Techniques named in words
 * come from {@link dev.vigil.intel.text.TechniqueNames}, which {@code AttackKnowledge.techniqueNames()} feeds.
 *
 * <p>Top-level domains come from {@code tlds.txt} next to these classes, written for Vigil from IANA's list.
 */
package dev.vigil.intel.text;

/**
 * Analysis of a PowerShell or cmd script that an analyst pastes into the copilot: {@link
 * dev.vigil.copilot.script.ScriptAnalyzer} undoes the usual obfuscation layers to a fixed point, splits what is left
 * into statements, explains each recognised one in a sentence, maps it to ATT&amp;CK techniques, lists its indicators
 * and gives a verdict. The result is a {@link dev.vigil.copilot.script.ScriptAnalysis}; the copilot writes the prose.
 *
 * <p>Nothing here runs the script: every layer is undone by rewriting text (regular expressions with possessive or
 * bounded quantifiers, and a small evaluator of PowerShell string literals), so hostile input costs time linear in
 * its length per pass. The behaviours recognised and their ATT&amp;CK techniques are data, in
 * {@code behaviours.yaml} next to these classes.
 */
package dev.vigil.copilot.script;

/**
 * The first two steps of the embedded planner (see {@code COPILOT.md}): normalize a prompt, and recognize the
 * entities, values and time range it names.
 *
 * <p>{@link dev.vigil.copilot.understand.Extractor#extract} gives an {@link dev.vigil.copilot.understand.Extraction}:
 * the {@link dev.vigil.copilot.understand.Prompt normalized} prompt and its
 * {@link dev.vigil.copilot.understand.Token tokens}; {@link dev.vigil.copilot.Mention mentions} of typed entities
 * (read by {@code dev.vigil.intel.text.TextIndicators}, shared with the threat-article skill), of the tenant's stored
 * values ({@link dev.vigil.copilot.understand.ValueDictionary}) and of ATT&amp;CK names
 * ({@link dev.vigil.copilot.understand.KnowledgeNames}); the time range
 * ({@link dev.vigil.copilot.understand.TimeExpressions}); spelling
 * {@link dev.vigil.copilot.understand.Correction corrections}; and the spans that read equally well as several
 * entities, for the planner to ask about.
 */
package dev.vigil.copilot.understand;

/** Reporting of benchmark results: JMH JSON to the Markdown table docs/performance.md shows. */
package dev.persona.bench.report;

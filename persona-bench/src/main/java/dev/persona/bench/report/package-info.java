/** Reporting of benchmark results: JMH JSON to the Markdown table the README shows. */
package dev.persona.bench.report;

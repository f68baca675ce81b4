import type { Dataset } from './dataset.js';

/**
 * An R script that reads a data set's CSV (see datasetCsv) with its labels: each column with the
 * right type, a `label` attribute on every column, and on every labelled column its value labels
 * and missing codes. With haven installed, labelled columns become `haven::labelled_spss` (as
 * `haven::read_sav(user_na = TRUE)` gives them: the not-applicable code kept, known as missing);
 * without it, base R only: the missing codes become NA and the labels stay as attributes.
 * The script reads `seici_csv` when set, else the CSV's own name in the working directory.
 */
export function rLoader(ds: Dataset): string {
  const csv = `${ds.name}.csv`;
  const classes = ds.variables.map((v) => (v.kind === 'text' ? 'character' : v.kind === 'integer' ? 'integer' : 'numeric'));
  const sets = new Map<string, Dataset['variables'][number]>();
  for (const v of ds.variables) if (v.labelSet !== null && v.valueLabels.length > 0 && !sets.has(v.labelSet)) sets.set(v.labelSet, v);
  const labelled = ds.variables.filter((v) => v.labelSet !== null && v.valueLabels.length > 0);
  const lines = [
    `# ${ds.label}`,
    `# Reads ${csv} with its variable labels, value labels and missing codes (written by seici).`,
    `# Run from the folder holding the CSV, or set seici_csv to its path first: source("${ds.name}.R")`,
    `if (!exists("seici_csv")) seici_csv <- ${rString(csv)}`,
    'seici <- utils::read.csv(seici_csv, fileEncoding = "UTF-8-BOM", na.strings = "", check.names = FALSE,',
    `  colClasses = c(${classes.map(rString).join(', ')}))`,
    `local({`,
    `  variable_labels <- c(`,
    ...ds.variables.map((v, j) => `    ${rName(v.name)} = ${rString(v.label)}${j < ds.variables.length - 1 ? ',' : ''}`),
    `  )`,
    `  value_labels <- list(`,
    ...[...sets.entries()].map(([name, v], j) => `    ${rName(name)} = c(${v.valueLabels.map((l) => `${rString(l.label)} = ${rNumber(l.value, v.kind)}`).join(', ')})${j < sets.size - 1 ? ',' : ''}`),
    `  )`,
    `  label_sets <- c(${labelled.map((v) => `${rName(v.name)} = ${rString(v.labelSet!)}`).join(', ')})`,
    `  missing_codes <- list(${labelled.map((v) => `${rName(v.name)} = c(${v.missingCodes.map((m) => rNumber(m, v.kind)).join(', ')})`).join(', ')})`,
    `  use_haven <- requireNamespace("haven", quietly = TRUE)`,
    `  for (v in names(seici)) {`,
    `    x <- seici[[v]]`,
    `    if (v %in% names(label_sets)) {`,
    `      labels <- value_labels[[label_sets[[v]]]]`,
    `      if (use_haven) {`,
    `        x <- haven::labelled_spss(x, labels = labels, na_values = if (length(missing_codes[[v]])) missing_codes[[v]] else NULL, label = variable_labels[[v]])`,
    `      } else {`,
    `        x[x %in% missing_codes[[v]]] <- NA`,
    `        attr(x, "labels") <- labels`,
    `      }`,
    `    }`,
    `    attr(x, "label") <- variable_labels[[v]]`,
    `    seici[[v]] <- x`,
    `  }`,
    `  seici <<- seici`,
    `})`,
    '',
  ];
  return lines.join('\n');
}

/** An R string literal in ASCII: quotes and backslashes escaped, every other character outside printable ASCII as \u{…}. */
function rString(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (c >= 0x20 && c < 0x7f) out += ch;
    else out += `\\U{${c.toString(16)}}`;
  }
  return `${out}"`;
}

/** A name in an R argument list, back-quoted. */
function rName(name: string): string {
  return `\`${name.replace(/[`\\]/g, (c) => `\\${c}`)}\``;
}

function rNumber(x: number, kind: string): string {
  return kind === 'integer' ? `${x}L` : String(x);
}

import { UserInputError } from '../../registry/errors';

/** Sequences read from a CSV file: one sequence per row. */
export interface CsvSequences {
  /** Rows read. */
  count: number;
  /** Numbers per row (without the label column). */
  rowLength: number;
  values: Float32Array;
  /** Raw label strings, when a label column was given. */
  labels: string[] | null;
}

/**
 * Parses a numeric CSV file with one sequence per row (comma-separated, no quoting; blank
 * lines and lines starting with `#` are skipped; a first line that is not numeric is taken
 * as a header). With `labelColumn` (0-based, or -1 for the last) that column is the label.
 *
 * @throws UserInputError naming `file:line` for ragged rows and non-numeric values
 * @example
 * parseCsvSequences('1,0.5,0.7\n0,0.1,0.2\n', 'x.csv', 0); // 2 rows of 2 values, labels ['1', '0']
 */
export function parseCsvSequences(text: string, file: string, labelColumn?: number): CsvSequences {
  const rows: number[][] = [];
  const labels: string[] = [];
  let expected = -1;
  let firstLine = -1;
  const lines = text.split(/\r?\n/);
  lines.forEach((line, i) => {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    const cells = trimmed.split(',').map((c) => c.trim());
    const lineNo = i + 1;
    const labelAt = labelColumn === undefined ? -1 : labelColumn < 0 ? cells.length + labelColumn : labelColumn;
    if (labelColumn !== undefined && (labelAt < 0 || labelAt >= cells.length)) {
      throw new UserInputError(`${file}:${lineNo}: label column ${labelColumn} does not exist in a row of ${cells.length} cells`);
    }
    const numbers = cells.filter((_, j) => j !== labelAt).map(Number);
    if (rows.length === 0 && firstLine < 0 && numbers.some((v) => Number.isNaN(v))) {
      firstLine = lineNo; // a header
      return;
    }
    const bad = numbers.findIndex((v) => Number.isNaN(v));
    if (bad >= 0) throw new UserInputError(`${file}:${lineNo}: value ${JSON.stringify(cells.filter((_, j) => j !== labelAt)[bad])} is not a number`);
    if (expected < 0) {
      expected = numbers.length;
      firstLine = lineNo;
    } else if (numbers.length !== expected) {
      throw new UserInputError(`${file}:${lineNo}: row has ${numbers.length} values, expected ${expected} like line ${firstLine} (rows must all have the same length)`);
    }
    rows.push(numbers);
    if (labelAt >= 0) labels.push(cells[labelAt]);
  });
  if (rows.length === 0) throw new UserInputError(`${file}: no data rows`);
  const values = new Float32Array(rows.length * expected);
  rows.forEach((r, i) => values.set(r, i * expected));
  return { count: rows.length, rowLength: expected, values, labels: labelColumn === undefined ? null : labels };
}

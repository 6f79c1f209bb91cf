import { UserInputError } from '../../registry/errors';

/** The header of a UCR/UEA `.ts` file (sktime/aeon format). */
export interface TsHeader {
  problemName?: string;
  univariate?: boolean;
  dimensions?: number;
  equalLength?: boolean;
  seriesLength?: number;
  /** Class labels in header order (label index = position), or null when `@classLabel false`. */
  classLabels: string[] | null;
}

/** A parsed `.ts` file: each series as [length][dims], with its label index. */
export interface TsFile {
  header: TsHeader;
  /** series[n][t][d] */
  series: number[][][];
  /** Index into header.classLabels (-1 when unlabelled). */
  labels: number[];
}

const BOOLEAN_TAGS = ['timestamps', 'missing', 'univariate', 'equallength'];
const KNOWN_TAGS = ['problemname', 'timestamps', 'missing', 'univariate', 'dimensions', 'equallength', 'serieslength', 'classlabel', 'targetlabel', 'data'];

/**
 * Parses the UCR/UEA time-series classification format (`.ts`, as written by sktime and
 * aeon): `#` comments, `@tag value` header lines up to `@data`, then one case per line,
 * dimensions separated by `:`, values by `,`, the class label last. Timestamped series and
 * missing values (`?`) are refused with a message, not guessed.
 *
 * @param file used in error messages (`file:line: ...`)
 * @throws UserInputError naming file and line for a malformed header or data line
 * @example
 * parseTsFile('@problemName toy\n@univariate true\n@classLabel true a b\n@data\n1,2,3:a\n', 'toy.ts');
 */
export function parseTsFile(text: string, file: string): TsFile {
  const header: TsHeader = { classLabels: null };
  const series: number[][][] = [];
  const labels: number[] = [];
  let inData = false;
  let sawClassLabel = false;
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    const line = lines[i].trim();
    if (line === '' || line.startsWith('#')) continue;
    const fail = (msg: string): never => { throw new UserInputError(`${file}:${lineNo}: ${msg}`); };
    if (!inData) {
      if (!line.startsWith('@')) fail(`expected a header line (@tag value) or @data before the data, got ${JSON.stringify(line.slice(0, 40))}`);
      const [rawTag, ...rest] = line.slice(1).split(/\s+/);
      const tag = rawTag.toLowerCase();
      if (!KNOWN_TAGS.includes(tag)) fail(`unknown header tag @${rawTag}; known: ${KNOWN_TAGS.map((t) => `@${t}`).join(', ')}`);
      if (tag === 'data') {
        if (!sawClassLabel) fail('@data before @classLabel: the header must say whether cases carry a class label');
        inData = true;
        continue;
      }
      if (BOOLEAN_TAGS.includes(tag)) {
        if (rest.length !== 1 || !['true', 'false'].includes(rest[0])) fail(`@${rawTag} must be true or false, got ${JSON.stringify(rest.join(' '))}`);
        const value = rest[0] === 'true';
        if (tag === 'timestamps' && value) fail('timestamped series (@timeStamps true) are not supported');
        if (tag === 'univariate') header.univariate = value;
        if (tag === 'equallength') header.equalLength = value;
      } else if (tag === 'dimensions' || tag === 'serieslength') {
        const n = Number(rest[0]);
        if (rest.length !== 1 || !Number.isInteger(n) || n < 1) fail(`@${rawTag} must be a positive integer, got ${JSON.stringify(rest.join(' '))}`);
        if (tag === 'dimensions') header.dimensions = n;
        else header.seriesLength = n;
      } else if (tag === 'classlabel') {
        sawClassLabel = true;
        if (rest[0] === 'false') header.classLabels = null;
        else if (rest[0] === 'true' && rest.length > 1) header.classLabels = rest.slice(1);
        else fail('@classLabel must be "false" or "true" followed by the class labels');
      } else if (tag === 'targetlabel') {
        fail('regression files (@targetLabel) are not supported; a classification file has @classLabel');
      } else if (tag === 'problemname') {
        header.problemName = rest.join(' ');
      }
      continue;
    }
    const parts = line.split(':');
    let labelIndex = -1;
    if (header.classLabels) {
      const label = parts.pop()!.trim();
      labelIndex = header.classLabels.indexOf(label);
      if (labelIndex < 0) fail(`class label ${JSON.stringify(label)} is not one of the header's @classLabel values (${header.classLabels.join(' ')})`);
    }
    const dims = header.dimensions ?? (header.univariate === false ? parts.length : 1);
    if (parts.length !== dims) fail(`case has ${parts.length} dimension(s), the header says ${dims}`);
    const channels = parts.map((p, d) => p.split(',').map((v, t) => {
      const x = Number(v.trim());
      if (v.trim() === '?' || v.trim() === '' || Number.isNaN(x)) fail(`dimension ${d + 1}, value ${t + 1}: ${JSON.stringify(v.trim())} is not a number (missing values are not supported)`);
      return x;
    }));
    const length = channels[0].length;
    if (channels.some((c) => c.length !== length)) fail(`the dimensions of a case have different lengths (${channels.map((c) => c.length).join(', ')})`);
    if (header.equalLength && header.seriesLength !== undefined && length !== header.seriesLength) {
      fail(`case has ${length} values per dimension, the header says @seriesLength ${header.seriesLength}`);
    }
    series.push(Array.from({ length }, (_, t) => channels.map((c) => c[t])));
    labels.push(labelIndex);
  }
  if (!inData) throw new UserInputError(`${file}: no @data line: not a .ts file, or its header is incomplete`);
  if (series.length === 0) throw new UserInputError(`${file}: no cases after @data`);
  return { header, series, labels };
}

import { InputError } from '../errors.js';
import type { CoordinationEvent, EventType } from './event.js';
import { headerPositions, type CsvByteSource } from '../data/csv_records.js';
import { readCsvRows, type CsvRowFormat } from './csv_row_reader.js';
import { validateEvent } from './validate_event.js';

/** How a Jira changelog maps onto coordination events. */
export interface JiraMapping {
  /** Statuses that mean the work item is finished (case-insensitive). */
  readonly doneStatuses?: readonly string[];
  /** Statuses that mean the item is being reworked (case-insensitive). */
  readonly reworkStatuses?: readonly string[];
  /** Fields whose change (from a non-empty value) re-specifies the issue (case-insensitive). */
  readonly respecifyFields?: readonly string[];
  /** Whether `closed`/`reopened` follow the status field (default) or the resolution field. */
  readonly closeOn?: 'status' | 'resolution';
}

export const DEFAULT_JIRA_MAPPING: Required<JiraMapping> = {
  doneStatuses: ['Done', 'Closed', 'Resolved'],
  reworkStatuses: ['Rework', 'In Rework', 'Changes Requested'],
  respecifyFields: ['Description', 'Acceptance Criteria'],
  closeOn: 'status',
};

/**
 * Maps a Jira issue changelog export to coordination events. The CSV has one row per
 * field change, as Jira's REST changelog (`/rest/api/3/issue/{key}/changelog`) or a
 * changelog export app writes it. Columns (header names matched without regard to case,
 * spaces or underscores; the first alias present is used):
 *
 * | column | aliases | required |
 * |---|---|---|
 * | `Issue key` | `issue`, `key` | yes |
 * | `Changed` | `created`, `changed at`, `date`, `timestamp` | yes (ISO 8601) |
 * | `Field` | `field name` | yes |
 * | `From` | `fromString`, `from value` | no |
 * | `To` | `toString`, `to value` | no |
 * | `Unit` | `team`, `project key`, `project` | no: else the issue key's project prefix (`PAY` of `PAY-12`) |
 *
 * Mapping (key = the issue key):
 * - closing (`closeOn: 'status'`): a status change from a status not in `doneStatuses` into one
 *   in it → `closed`; out of a done status into another → `reopened`. With
 *   `closeOn: 'resolution'`, a resolution set from empty → `closed`, cleared → `reopened`.
 * - a status change into a status in `reworkStatuses` → `rework`;
 * - a change of a field in `respecifyFields` from a non-empty value → `respecified`
 *   (filling an empty description is specification, not re-specification);
 * - every other row is ignored.
 * The first row that cannot be read throws an InputError naming its line; nothing is returned.
 */
export function parseJiraChangelog(text: string | CsvByteSource, mapping: JiraMapping = {}, label = 'jira', argument = 'events'): CoordinationEvent[] {
  const events: CoordinationEvent[] = [];
  readCsvRows(text, label, argument, jiraChangelogRows(mapping, label, argument), (row) => {
    for (const e of row) events.push(e);
  });
  return events;
}

/** The changelog CSV one row at a time (see {@link parseJiraChangelog}): each row is zero or more events. */
export function jiraChangelogRows(mapping: JiraMapping = {}, label = 'jira', argument = 'events'): CsvRowFormat<CoordinationEvent[]> {
  const map = jiraMapper(mapping);
  return (header) => {
    const at = headerPositions(header, JIRA_COLUMNS, label, argument);
    return (r, where) => {
      const issue = r[at.issue].trim();
      const change: JiraChange = {
        issue,
        unit: at.unit >= 0 ? r[at.unit].trim() : projectOf(issue),
        changed: r[at.changed],
        field: r[at.field],
        from: at.from >= 0 ? r[at.from] : '',
        to: at.to >= 0 ? r[at.to] : '',
      };
      return map(change, where, argument);
    };
  };
}

/**
 * The same mapping for Jira's REST answer with the changelog expanded
 * (`/rest/api/3/search?expand=changelog`, already parsed): `{"issues": [{"key": "PAY-1",
 * "fields": {"project": {"key": "PAY"}}, "changelog": {"histories": [{"created": "…",
 * "items": [{"field": "status", "fromString": "In Progress", "toString": "Done"}]}]}}]}`.
 * The unit is `unitOf(issue)` when given, else the project key, else the key's prefix.
 * Errors name the item (`jira issues[2].changelog.histories[0].items[1]`).
 */
export function parseJiraIssuesJson(
  value: unknown,
  mapping: JiraMapping = {},
  label = 'jira',
  argument = 'events',
): CoordinationEvent[] {
  const issues = (value as { issues?: unknown } | null)?.issues;
  if (!Array.isArray(issues)) throw new InputError(argument, `${label} must be a JSON object with an "issues" array.`);
  const read = jiraIssueEvents(mapping, argument);
  const events: CoordinationEvent[] = [];
  issues.forEach((raw, i) => {
    for (const e of read(raw, `${label} issues[${i}]`)) events.push(e);
  });
  return events;
}

/**
 * One issue of Jira's REST answer (an element of its `issues` array, already parsed) mapped as
 * {@link parseJiraIssuesJson} maps each, `where` naming it in errors (`jira issues[2]`). A caller
 * that reads the array element by element as it streams in uses this directly.
 */
export function jiraIssueEvents(mapping: JiraMapping = {}, argument = 'events'): (raw: unknown, where: string) => CoordinationEvent[] {
  const map = jiraMapper(mapping);
  return (raw, where) => {
    const issue = raw as { key?: unknown; fields?: { project?: { key?: unknown } }; changelog?: { histories?: unknown } };
    if (typeof issue?.key !== 'string' || issue.key.trim() === '') throw new InputError(argument, `${where}: the issue key is missing.`);
    const key = issue.key.trim();
    const project = issue.fields?.project?.key;
    const unit = typeof project === 'string' && project.trim() !== '' ? project.trim() : projectOf(key);
    const histories = issue.changelog?.histories ?? [];
    if (!Array.isArray(histories)) throw new InputError(argument, `${where}.changelog.histories must be a list.`);
    const events: CoordinationEvent[] = [];
    histories.forEach((h, j) => {
      const history = h as { created?: unknown; items?: unknown };
      const items = history?.items ?? [];
      if (!Array.isArray(items)) throw new InputError(argument, `${where}.changelog.histories[${j}].items must be a list.`);
      items.forEach((it, k) => {
        const item = (it ?? {}) as { field?: unknown; fromString?: unknown; toString?: unknown };
        const text = (v: unknown) => (typeof v === 'string' ? v : v === null || v === undefined ? '' : String(v));
        const change: JiraChange = {
          issue: key,
          unit,
          changed: text(history.created),
          field: text(item.field),
          from: text(item.fromString),
          to: text(Object.prototype.hasOwnProperty.call(item, 'toString') ? item.toString : ''),
        };
        for (const e of map(change, `${where}.changelog.histories[${j}].items[${k}]`, argument)) events.push(e);
      });
    });
    return events;
  };
}

/** One field change of one issue, as read from either export. */
interface JiraChange {
  readonly issue: string;
  readonly unit: string;
  readonly changed: string;
  readonly field: string;
  readonly from: string;
  readonly to: string;
}

/** The mapping of one change to zero or more events (see {@link parseJiraChangelog}). */
function jiraMapper(mapping: JiraMapping): (c: JiraChange, where: string, argument: string) => CoordinationEvent[] {
  const m = { ...DEFAULT_JIRA_MAPPING, ...mapping };
  const done = lowerSet(m.doneStatuses);
  const rework = lowerSet(m.reworkStatuses);
  const respecify = lowerSet(m.respecifyFields);
  return (c, where, argument) => {
    if (c.issue === '') throw new InputError(argument, `${where}: the issue key is empty.`);
    const field = c.field.trim().toLowerCase();
    if (field === '') throw new InputError(argument, `${where}: the field name is empty.`);
    const from = c.from.trim();
    const to = c.to.trim();
    const types: EventType[] = [];
    if (field === 'status') {
      const wasDone = done.has(from.toLowerCase());
      const isDone = done.has(to.toLowerCase());
      if (m.closeOn === 'status' && !wasDone && isDone) types.push('closed');
      if (m.closeOn === 'status' && wasDone && !isDone) types.push('reopened');
      if (rework.has(to.toLowerCase()) && !rework.has(from.toLowerCase())) types.push('rework');
    } else if (field === 'resolution' && m.closeOn === 'resolution') {
      if (from === '' && to !== '') types.push('closed');
      if (from !== '' && to === '') types.push('reopened');
    } else if (respecify.has(field) && from !== '') {
      types.push('respecified');
    }
    // Validate the change's unit and time even when it maps to nothing, so a broken file is refused whole.
    const base = { unit: c.unit, timestamp: c.changed, key: c.issue, ref: null };
    if (types.length === 0) {
      validateEvent({ ...base, type: 'closed' }, where, argument);
      return [];
    }
    return types.map((type) => validateEvent({ ...base, type }, where, argument));
  };
}

const JIRA_COLUMNS = {
  issue: { aliases: ['issue key', 'issue', 'key'], required: true },
  changed: { aliases: ['changed', 'created', 'changed at', 'date', 'timestamp'], required: true },
  field: { aliases: ['field', 'field name'], required: true },
  from: { aliases: ['from', 'fromString', 'from value'], required: false },
  to: { aliases: ['to', 'toString', 'to value'], required: false },
  unit: { aliases: ['unit', 'team', 'project key', 'project'], required: false },
} as const;

function projectOf(issue: string): string {
  const dash = issue.lastIndexOf('-');
  return dash > 0 ? issue.slice(0, dash) : issue;
}

function lowerSet(names: readonly string[]): Set<string> {
  return new Set(names.map((n) => n.trim().toLowerCase()));
}

/**
 * The browser analysis page's main thread: takes the dropped (or chosen) CSV file, hands its
 * bytes to the Web Worker, turns each form into an analysis request, and draws the worker's
 * results as the reports' tables and the charts it rendered. It computes no statistic itself
 * and sends nothing anywhere: the worker is the only thing it talks to.
 */
import type { AnalysisKind, AnalysisRequest, FileSummary } from './compute.js';
import type { FromWorker, RenderedChart, ToWorker } from './messages.js';
import { renderResult } from './results.js';

const worker = new Worker(workerUrl());
let summary: FileSummary | null = null;
let nextId = 1;
const pending = new Map<number, { kind: AnalysisKind; title: string; started: number }>();

/** The worker script beside this one, whatever folder the page is served from. */
function workerUrl(): string {
  const script = document.currentScript as HTMLScriptElement | null;
  return new URL('worker.js', script?.src ?? document.baseURI).href;
}

function byId<T extends HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (el === null) throw new Error(`the page has no #${id}`);
  return el as T;
}

function post(message: ToWorker): void {
  worker.postMessage(message);
}

function setStatus(id: string, text: string, kind: 'info' | 'busy' | 'error' = 'info'): void {
  const el = byId(id);
  el.textContent = text;
  el.className = `${id === 'file-status' ? 'file-status' : 'run-status'} ${kind}`;
}

// ---------------------------------------------------------------------------------------------
// The file

function openFile(file: File): void {
  setStatus('file-status', `Reading ${file.name}…`, 'busy');
  post({ type: 'open', file });
}

function onOpened(s: FileSummary): void {
  summary = s;
  setStatus('file-status', `${s.name}: ${s.rows.toLocaleString('en')} rows, ${s.columns.length} columns (${s.numeric.length} numeric). Nothing has left this device.`);
  const list = byId('column-list');
  list.replaceChildren(...s.columns.map((c) => {
    const code = document.createElement('code');
    code.textContent = c;
    code.className = s.numeric.includes(c) ? 'numeric' : 'text';
    return code;
  }));
  byId('columns').hidden = false;
  for (const select of document.querySelectorAll<HTMLSelectElement>('select[data-columns]')) {
    const optional = select.dataset.columns === 'optional';
    const keep = optional ? [select.options[0]] : [];
    const options = s.columns.map((c) => new Option(c, c));
    select.replaceChildren(...keep, ...options);
    if (!optional) {
      // a likely unit column: the first whose name says so, else the first text column
      const guess = s.columns.find((c) => /^(unit|team|group|grp)$/i.test(c)) ?? s.columns.find((c) => !s.numeric.includes(c));
      if (guess !== undefined) select.value = guess;
    }
  }
  for (const fieldset of document.querySelectorAll<HTMLFieldSetElement>('form.analysis fieldset')) fieldset.disabled = false;
  byId('results').replaceChildren();
  setStatus('run-status', '');
}

const drop = byId('drop');
drop.addEventListener('dragover', (e) => {
  e.preventDefault();
  drop.classList.add('over');
});
drop.addEventListener('dragleave', () => drop.classList.remove('over'));
drop.addEventListener('drop', (e) => {
  e.preventDefault();
  drop.classList.remove('over');
  const file = e.dataTransfer?.files[0];
  if (file) openFile(file);
});
// a file dropped anywhere else must not make the browser navigate to it
window.addEventListener('dragover', (e) => e.preventDefault());
window.addEventListener('drop', (e) => e.preventDefault());
byId<HTMLInputElement>('file-input').addEventListener('change', (e) => {
  const file = (e.target as HTMLInputElement).files?.[0];
  if (file) openFile(file);
});
byId<HTMLInputElement>('sc-map-file').addEventListener('change', async (e) => {
  const file = (e.target as HTMLInputElement).files?.[0];
  if (file) byId<HTMLTextAreaElement>('sc-map').value = await file.text();
});
for (const button of document.querySelectorAll<HTMLButtonElement>('button[data-fill]')) {
  button.addEventListener('click', () => {
    if (summary) byId<HTMLInputElement>(button.dataset.fill!).value = summary.numeric.join(',');
  });
}

// ---------------------------------------------------------------------------------------------
// Tabs

const tabs = [...document.querySelectorAll<HTMLButtonElement>('[role="tab"]')];
function selectTab(tab: HTMLButtonElement): void {
  for (const t of tabs) {
    const on = t === tab;
    t.setAttribute('aria-selected', String(on));
    t.tabIndex = on ? 0 : -1;
    byId(t.getAttribute('aria-controls')!).hidden = !on;
  }
}
for (const [i, tab] of tabs.entries()) {
  tab.addEventListener('click', () => selectTab(tab));
  tab.addEventListener('keydown', (e) => {
    const step = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
    if (step === 0) return;
    const next = tabs[(i + step + tabs.length) % tabs.length];
    selectTab(next);
    next.focus();
  });
}

// ---------------------------------------------------------------------------------------------
// The forms → requests

/** A form field that the researcher got wrong: its message names the field by its label. */
class FieldError extends Error {}

function list(value: string): string[] {
  return value.split(/[\s,;]+/).map((s) => s.trim()).filter((s) => s !== '');
}

function labelOf(form: HTMLFormElement, name: string): string {
  const field = form.elements.namedItem(name) as HTMLElement | null;
  const label = field?.id ? form.querySelector(`label[for="${field.id}"]`) : null;
  return (label?.firstChild?.textContent ?? name).trim();
}

function numberField(form: HTMLFormElement, data: FormData, name: string, opts: { integer?: boolean; optional?: boolean; min?: number } = {}): number | undefined {
  const text = String(data.get(name) ?? '').trim();
  if (text === '') {
    if (opts.optional) return undefined;
    throw new FieldError(`${labelOf(form, name)}: a number is needed.`);
  }
  const value = Number(text);
  if (!Number.isFinite(value) || (opts.integer && !Number.isInteger(value)) || (opts.min !== undefined && value < opts.min)) {
    throw new FieldError(`${labelOf(form, name)}: "${text}" is not ${opts.integer ? 'a whole number' : 'a number'}${opts.min !== undefined ? ` of at least ${opts.min}` : ''}.`);
  }
  return value;
}

function checkColumns(form: HTMLFormElement, names: readonly string[], field: string): void {
  if (summary === null) return;
  for (const n of names) {
    if (!summary.columns.includes(n)) throw new FieldError(`${labelOf(form, field)}: "${n}" is not a column of ${summary.name}.`);
  }
}

function requestOf(form: HTMLFormElement, submitter: HTMLButtonElement | null): { request: AnalysisRequest; title: string } {
  const data = new FormData(form);
  const text = (name: string) => String(data.get(name) ?? '').trim();
  const items = list(text('items'));
  if (form.dataset.kind !== 'sem' && form.dataset.kind !== 'score') {
    if (items.length === 0) throw new FieldError(`${labelOf(form, 'items')}: name the item columns, separated by commas.`);
    checkColumns(form, items, 'items');
  }
  const shortList = (names: readonly string[]) => (names.length > 6 ? `${names.slice(0, 5).join(', ')} … (${names.length} items)` : names.join(', '));
  switch (form.dataset.kind) {
    case 'reliability':
      return {
        title: `Reliability of ${shortList(items)}`,
        request: {
          kind: 'reliability',
          items,
          reverse: list(text('reverse')),
          scaleMin: numberField(form, data, 'scaleMin', { optional: true }),
          scaleMax: numberField(form, data, 'scaleMax', { optional: true }),
          missing: text('missing') === 'pairwise' ? 'pairwise' : 'listwise',
          bootstrap: numberField(form, data, 'bootstrap', { integer: true, min: 0 })!,
          seed: numberField(form, data, 'seed', { integer: true, min: 0 })!,
        },
      };
    case 'factors':
      return {
        title: `Factors of ${shortList(items)}`,
        request: {
          kind: 'factors',
          items,
          nfactors: numberField(form, data, 'nfactors', { integer: true, optional: true, min: 1 }) ?? null,
          fm: text('fm') as 'minres' | 'ml' | 'pa',
          rotate: text('rotate') as 'oblimin',
          cor: text('cor') === 'poly' ? 'poly' : 'pearson',
          missing: text('missing') === 'pairwise' ? 'pairwise' : 'listwise',
          iterations: numberField(form, data, 'iterations', { integer: true, min: 1 })!,
          seed: numberField(form, data, 'seed', { integer: true })!,
        },
      };
    case 'sem': {
      const model = String(data.get('model') ?? '');
      if (model.trim() === '') throw new FieldError(`${labelOf(form, 'model')}: type the model, e.g. "visual =~ x1 + x2 + x3".`);
      const group = text('group');
      const missing = text('missing') === 'ml' ? 'ml' : 'listwise';
      if (submitter?.value === 'invariance') {
        if (group === '') throw new FieldError('Groups: choose the column whose groups the model is compared across.');
        return {
          title: `Measurement invariance across ${group}`,
          request: { kind: 'invariance', model, group, levels: ['configural', 'metric', 'scalar', 'strict'], missing, partial: data.get('partial') !== null },
        };
      }
      return {
        title: group === '' ? 'Confirmatory factor analysis' : `Confirmatory factor analysis by ${group}`,
        request: { kind: 'cfa', model, group: group === '' ? undefined : group, stdLv: data.get('stdLv') !== null, missing },
      };
    }
    case 'agreement': {
      const group = text('group');
      return {
        title: `Agreement on ${shortList(items)} within ${group}`,
        request: {
          kind: 'agreement',
          items,
          group,
          scalePoints: numberField(form, data, 'scalePoints', { integer: true, min: 2 })!,
          null: text('null') as 'uniform',
          reverse: list(text('reverse')),
        },
      };
    }
    case 'score': {
      const map = String(data.get('map') ?? '');
      if (map.trim() === '') throw new FieldError('Item map (JSON): paste the item map or read a map file.');
      const wave = text('wave');
      return {
        title: `Unit scores by ${text('unit')}${wave === '' ? '' : ` and ${wave}`}`,
        request: { kind: 'score', map, unit: text('unit'), wave: wave === '' ? undefined : wave, minGroupSize: numberField(form, data, 'minGroupSize', { integer: true, min: 1 })! },
      };
    }
  }
  throw new Error(`unknown form ${form.dataset.kind}`);
}

for (const form of document.querySelectorAll<HTMLFormElement>('form.analysis')) {
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    if (summary === null) {
      setStatus('run-status', 'Drop or choose a CSV file first.', 'error');
      return;
    }
    let built: { request: AnalysisRequest; title: string };
    try {
      built = requestOf(form, (e as SubmitEvent).submitter as HTMLButtonElement | null);
    } catch (err) {
      if (err instanceof FieldError) {
        setStatus('run-status', err.message, 'error');
        return;
      }
      throw err;
    }
    const id = nextId++;
    pending.set(id, { kind: built.request.kind, title: built.title, started: performance.now() });
    setStatus('run-status', `Computing: ${built.title}…`, 'busy');
    byId('results').setAttribute('aria-busy', 'true');
    post({ type: 'run', id, request: built.request });
  });
}

// ---------------------------------------------------------------------------------------------
// The worker's answers

function showCharts(container: HTMLElement, charts: readonly RenderedChart[]): void {
  container.replaceChildren(
    ...charts.map((c) => {
      const figure = document.createElement('figure');
      figure.className = 'chart';
      figure.setAttribute('role', 'img');
      figure.setAttribute('aria-label', c.label);
      // SVG written by Vega in the worker from the results; labels from the file are escaped there
      figure.innerHTML = c.svg;
      return figure;
    }),
  );
}

worker.onmessage = (event: MessageEvent<FromWorker>) => {
  const m = event.data;
  switch (m.type) {
    case 'opened':
      onOpened(m.summary);
      return;
    case 'result': {
      const job = pending.get(m.id);
      pending.delete(m.id);
      if (job === undefined) return;
      const section = renderResult(m.kind, job.title, m.result, {
        onUnit: (index, charts) => {
          const id = nextId++;
          unitChartTargets.set(id, charts);
          post({ type: 'unit', id, index });
        },
      });
      const charts = section.querySelector<HTMLElement>('.charts');
      if (charts) showCharts(charts, m.charts);
      const results = byId('results');
      results.prepend(section);
      results.removeAttribute('aria-busy');
      setStatus('run-status', `Done: ${job.title} (${(m.ms / 1000).toFixed(1)} s, computed on this device).`);
      section.querySelector('h2')?.focus();
      return;
    }
    case 'charts': {
      const target = unitChartTargets.get(m.id);
      unitChartTargets.delete(m.id);
      if (target) showCharts(target, m.charts);
      return;
    }
    case 'error':
      if (m.id === null) {
        setStatus('file-status', m.message, 'error');
      } else {
        pending.delete(m.id);
        unitChartTargets.delete(m.id);
        byId('results').removeAttribute('aria-busy');
        setStatus('run-status', m.message, 'error');
      }
      return;
  }
};
worker.onerror = (e) => {
  setStatus('run-status', `The analysis worker stopped: ${e.message}`, 'error');
};

const unitChartTargets = new Map<number, HTMLElement>();

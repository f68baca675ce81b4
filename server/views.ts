import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Handlebars from 'handlebars';

/**
 * The Handlebars templates of views/, compiled once at start. Partials live in views/partials;
 * `{{json x}}` embeds a value as JSON that is safe inside a <script> element.
 */
export class Views {
  private readonly hbs = Handlebars.create();
  private readonly templates = new Map<string, Handlebars.TemplateDelegate>();

  /** `helpers` adds template helpers of the app's own, such as `{{asset "path"}}` for a fingerprinted URL. */
  constructor(dir: string, helpers: Readonly<Record<string, Handlebars.HelperDelegate>> = {}) {
    for (const [name, helper] of Object.entries(helpers)) this.hbs.registerHelper(name, helper);
    this.hbs.registerHelper('json', (value: unknown) => new Handlebars.SafeString(scriptJson(value)));
    this.hbs.registerHelper('eq', (a: unknown, b: unknown) => a === b);
    for (const file of readdirSync(join(dir, 'partials'))) {
      if (file.endsWith('.hbs')) this.hbs.registerPartial(file.slice(0, -4), readFileSync(join(dir, 'partials', file), 'utf8'));
    }
    for (const file of readdirSync(dir)) {
      if (file.endsWith('.hbs')) this.templates.set(file.slice(0, -4), this.hbs.compile(readFileSync(join(dir, file), 'utf8'), { strict: false }));
    }
  }

  render(name: string, data: Record<string, unknown>): string {
    const template = this.templates.get(name);
    if (!template) throw new Error(`no view named ${name}`);
    return template(data);
  }
}

/** JSON with `<`, `>`, `&` and line separators escaped, so it cannot close a <script> element. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

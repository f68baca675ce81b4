import { createRuleVersion, deleteRuleVersion, editRuleVersion } from '../../dynamics/handlers/rules.js';
import { RuleSetBody } from '../../dynamics/schemas.js';
import type { HttpError } from '../../errors.js';
import { Reply } from '../../routes/api_route.js';
import { validate } from '../../validation.js';
import { ruleBody, rulesPage, ruleVersionPage, typedRuleForm } from '../admin_pages.js';
import { FormError, Page, backWithError, notice, page, type PageContext, type PageRoute } from '../page_route.js';

const rulesPath = (version: string) => `/admin/rules/${encodeURIComponent(version)}`;
const typedForm = ({ field }: PageContext) => typedRuleForm(field);

/** A refused rules form: the version's page again, with what was typed in the form (`asNew`: the save-as-new form, else the edit form). */
async function rulesRefused(ctx: PageContext, err: HttpError, from: string, asNew: boolean): Promise<FormError> {
  const data = await ruleVersionPage(ctx.s, from, { form: typedForm(ctx), asNew });
  return new FormError(new Page('rule_version', 'rules', `Breakpoint rules ${data.rule.version}`, { ...data, [asNew ? 'newError' : 'editError']: true }), err.message, err.status);
}

/**
 * Breakpoint rules (server/dynamics): every version, one version's rules, editing a version no
 * wave has locked, saving changed rules as a new version, and deleting one.
 */
export const ruleRoutes: readonly PageRoute[] = [
  page({ kind: 'page', path: '/admin/rules', run: async ({ s }) => new Page('rules', 'rules', 'Breakpoint rules', await rulesPage(s)) }),
  page({
    kind: 'page', path: '/admin/rules/:version',
    run: async ({ s, params }) => {
      const data = await ruleVersionPage(s, params.version);
      return new Page('rule_version', 'rules', `Breakpoint rules ${data.rule.version}`, data);
    },
  }),
  page({
    kind: 'form', path: '/admin/rules',
    run: async (ctx) => {
      const created = await createRuleVersion(ctx.s, ctx.user.actor, validate(RuleSetBody, ruleBody(typedForm(ctx)), 'rules'));
      const version = created instanceof Reply ? (created.body as { version: string }).version : created.version;
      return notice(rulesPath(version), `Version ${version} was saved; it is in force for the next wave that opens.`);
    },
    refused: (ctx, err) => rulesRefused(ctx, err, ctx.field('from'), true),
  }),
  page({
    kind: 'form', path: '/admin/rules/:version/edit',
    run: async (ctx) => {
      const version = ctx.params.version;
      await editRuleVersion(ctx.s, ctx.user.actor, version, validate(RuleSetBody, { ...ruleBody(typedForm(ctx)), version }, 'rules'));
      return notice(rulesPath(version), `Version ${version} was changed.`);
    },
    refused: (ctx, err) => rulesRefused(ctx, err, ctx.params.version, false),
  }),
  page({
    kind: 'form', path: '/admin/rules/:version/delete', refused: backWithError(({ params }) => rulesPath(params.version)),
    run: async ({ s, user, params }) => {
      await deleteRuleVersion(s, user.actor, params.version);
      return notice('/admin/rules', `Version ${params.version} was deleted.`);
    },
  }),
];

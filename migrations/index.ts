import type { Knex } from 'knex';
import * as unitsAndInstruments from './20261124090000_units_and_instruments.js';
import * as wavesAndInvitations from './20261124090100_waves_and_invitations.js';
import * as responses from './20261124090200_responses.js';
import * as adminAccess from './20261124090300_admin_access.js';
import * as analyses from './20261124090400_analyses.js';
import * as tracesAndRules from './20261124100000_traces_and_rules.js';
import * as instrumentDocuments from './20261129163000_instrument_documents.js';
import * as expertPanels from './20261129170000_expert_panels.js';
import * as analysisRuns from './20261129171000_analysis_runs.js';
import * as consoleSessions from './20261129172000_console_sessions.js';
import * as sealedRecipientTokens from './20261129172100_sealed_recipient_tokens.js';
import * as commitments from './20261129180000_commitments.js';
import * as responseResumePage from './20261130000100_response_resume_page.js';
import * as analysisOptions from './20261130000600_analysis_options.js';
import * as responseKeys from './20261130011000_response_keys.js';
import * as interfaceChanges from './20261130011300_interface_changes.js';
import * as revisionRequests from './20261130051100_revision_requests.js';

/**
 * Every migration, listed explicitly in order, so that the same code runs from the .ts sources
 * (vitest) and from dist/ (compiled) without knex scanning a directory for file extensions.
 */
const migrations: ReadonlyArray<readonly [string, Knex.Migration]> = [
  ['20261124090000_units_and_instruments', unitsAndInstruments],
  ['20261124090100_waves_and_invitations', wavesAndInvitations],
  ['20261124090200_responses', responses],
  ['20261124090300_admin_access', adminAccess],
  ['20261124090400_analyses', analyses],
  ['20261124100000_traces_and_rules', tracesAndRules],
  ['20261129163000_instrument_documents', instrumentDocuments],
  ['20261129170000_expert_panels', expertPanels],
  ['20261129171000_analysis_runs', analysisRuns],
  ['20261129172000_console_sessions', consoleSessions],
  ['20261129172100_sealed_recipient_tokens', sealedRecipientTokens],
  ['20261129180000_commitments', commitments],
  ['20261130000100_response_resume_page', responseResumePage],
  ['20261130000600_analysis_options', analysisOptions],
  ['20261130011000_response_keys', responseKeys],
  ['20261130011300_interface_changes', interfaceChanges],
  ['20261130051100_revision_requests', revisionRequests],
];

export const migrationSource: Knex.MigrationSource<readonly [string, Knex.Migration]> = {
  async getMigrations() {
    return [...migrations];
  },
  getMigrationName([name]) {
    return name;
  },
  async getMigration([, migration]) {
    return migration;
  },
};

/** The SEI-CI instrument: the SEI model, versioned item banks and the SurveyJS questionnaire. */
export * from './model.js';
export { LOCALES, isLocale, type Locale, type Localized } from './locale.js';
export {
  AGREEMENT_7,
  INTERFACE_ROLE,
  NOT_APPLICABLE_LABEL,
  RESPONSE_FORMATS,
  isInterfaceRole,
  type ResponseFormat,
} from './response_format.js';
export { SCALES, SCALE_PREFIXES, type Item, type ScaleId, type ScaleInfo } from './item.js';
export {
  MIN_ITEMS_PER_CELL,
  findItem,
  itemsByCell,
  publishVersion,
  seiItems,
  validateVersion,
  type InstrumentVersion,
  type VersionChange,
  type ChangeEvidence,
} from './version.js';
export { deriveVersion, type DeriveOptions } from './derive_version.js';
export { parseInstrumentVersion } from './parse_version.js';
export { compareVersions, type VersionComparison } from './compare_versions.js';
export { INSTRUMENT_V1 } from './v1.js';
export { CURRENT_VERSION, INSTRUMENT_VERSIONS, getInstrumentVersion } from './registry.js';
export { itemMap, supplementaryScaleKeys, type ItemMap, type ScaleKeys } from './item_map.js';
export { itemRows, type ItemRow } from './item_rows.js';
export { describeInstrument, type InstrumentDescription } from './describe_instrument.js';
export {
  NOT_APPLICABLE_VALUE,
  validateAnswer,
  validateAnswers,
  type AnswerCheck,
  type AnswersCheck,
  type AnswerValue,
} from './validate_answer.js';
export {
  buildQuestionnaire,
  type QuestionnaireOptions,
  type SurveyJson,
  type SurveyPageJson,
  type SurveyQuestionJson,
  type SurveyText,
} from './questionnaire.js';
export { buildPanelQuestionnaire, PANEL_PRIVACY_NOTE, panelItemOrder, panelRatings, type PanelSurveyJson } from './panel_questionnaire.js';

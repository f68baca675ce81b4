export { screenRespondents, screeningReport } from './screen_respondents.js';
export type { ScreeningCriteria, ScreeningFlag, RespondentScreen, ScreeningResult, ScreeningReport, ScreeningOptions } from './screen_respondents.js';
export { longString } from './long_string.js';
export { intraIndividualSd } from './intra_individual_sd.js';
export { mahalanobisDistances } from './mahalanobis.js';
export type { MahalanobisDistances } from './mahalanobis.js';

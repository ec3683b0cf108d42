export { ageInMonthsOn, checkSchoolRequirements, gradeBand, usualGrade } from './check';
export type { MetBy, RequirementResult, RequirementStatus, SchoolCheckInput, SchoolCheckResult } from './check';
export { MA_SCHOOL_REQUIREMENTS } from './ma-requirements';
export * from './types';

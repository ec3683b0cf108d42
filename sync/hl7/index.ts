// Public surface of the HL7 v2.5.1 immunization codec.
export * from './encoding';
export * from './message';
export * from './ack-types';
export * from './ack-build';
export * from './ack-parse';
export * from './form-fields';
export * from './vocabulary';
export * from './config';
export * from './types';
export * from './vxu';
export * from './datatypes';
export * from './profile';
export * from './value-sets';
export * from './query';
export * from './query-forecast';
export * from './batch';
export * from './observations';

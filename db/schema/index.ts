export * from './tenancy';
export * from './auth';
export * from './audit';
export * from './environments';
export * from './artifacts';

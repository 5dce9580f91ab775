// Every integration test file shares the run's backing services with the product server: the S3 server, reached
// through objectStore() as the product does, and the key that seals secrets and signs download links.
import { inject } from 'vitest';
import { testObjectStore } from './storage';

process.env.SWITCHYARD_SECRET_KEY = inject('secretKey');
testObjectStore();

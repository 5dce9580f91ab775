import { describe, expect, it } from 'vitest';
import { connectionTarget } from './client';

describe('connectionTarget', () => {
  it('hands libpq\'s ?host=/folder to postgres.js as an option and takes it out of the URL', () => {
    expect(connectionTarget('postgres://app:pw@127.0.0.1:5432/db?host=%2Fdata%2Frun')).toEqual({ url: 'postgres://app:pw@127.0.0.1:5432/db', host: '/data/run' });
  });

  it('leaves every other URL as given, multi-host ones included', () => {
    for (const url of ['postgres://u:p@h1:5432,h2:5432/db', 'postgres://u:p@db.internal/db?sslmode=require', 'postgres://u:p@db/db?host=db2']) {
      expect(connectionTarget(url)).toEqual({ url });
    }
  });
});

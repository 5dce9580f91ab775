import { sql, type SQL } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';

/** A Postgres array literal of text values, each quoted, so commas, braces, quotes and NULL stay plain text. */
export function arrayLiteral(values: readonly string[]): string {
  return `{${values.map((v) => `"${v.replace(/[\\"]/g, '\\$&')}"`).join(',')}}`;
}

/**
 * `column = any($1::type[])`: membership in a list sent as one text parameter. drizzle's inArray writes one
 * placeholder per value, so every list length is another statement, and each is prepared on every pooled connection
 * (db/prepared-statements.ts); this is one statement for every length, the empty list included (a JS array as the
 * parameter would not be: the driver types an empty one differently).
 */
export function anyOf(column: PgColumn, values: readonly string[]): SQL {
  return sql`${column} = any(${arrayLiteral(values)}::${sql.raw(column.getSQLType())}[])`;
}

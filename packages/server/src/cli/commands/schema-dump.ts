import { writeFileSync } from 'node:fs';
import { migrate, openPglite, dumpSchema } from '../../db/index.ts';
import type { Command } from '../command.ts';

export const schemaDumpCommand: Command = {
  name: 'schema dump',
  summary: 'Print (or write) the schema the migrations produce',
  usage: `Usage: shoal schema dump [--out FILE]

Migrates a fresh in-memory database and prints its schema as sql/schema.sql records it.`,
  options: { out: { type: 'string' } },
  async run(values, io) {
    const db = await openPglite();
    try {
      await migrate(db);
      const text = await db.ownerTx(dumpSchema);
      if (typeof values.out === 'string') writeFileSync(values.out, text);
      else io.out(text.trimEnd());
      return 0;
    } finally {
      await db.close();
    }
  },
};

// Marks a finished build so `npm start`/`npm test` can tell whether sources changed since.
import { writeFileSync } from 'node:fs';
writeFileSync(new URL('../dist/.build-stamp', import.meta.url), `${new Date().toISOString()}\n`);

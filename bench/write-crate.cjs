// The bench's floor: what any Node program that writes the same crate must do at the least. It
// reads the files `new` generated (captured by bench/run.mjs into one data file and an index),
// creates the folders and files, hashes each file as the manifest does (SHA-256, and SHA-1 for
// git's blob id), writes a manifest and prints one line per file. No argument parsing, no
// templates, no checks: whatever `new` costs above this is the CLI's own.
// Usage: node bench/write-crate.cjs <index.json> <data file> <target dir>
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const [indexFile, dataFile, target] = process.argv.slice(2);
const index = JSON.parse(fs.readFileSync(indexFile, 'utf8'));
const data = fs.readFileSync(dataFile);
const made = new Set();
const hashes = {};
let offset = 0;
for (const [file, length] of index) {
  const bytes = data.subarray(offset, (offset += length));
  const dest = path.join(target, file);
  if (!made.has(path.dirname(dest))) {
    fs.mkdirSync(path.dirname(dest), { recursive: true });
    made.add(path.dirname(dest));
  }
  fs.writeFileSync(dest, bytes);
  const sha256 = crypto.createHash('sha256').update(bytes).digest('hex');
  const blob = crypto.createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
  hashes[file] = [sha256, blob];
}
fs.writeFileSync(path.join(target, '.manifest.json'), `${JSON.stringify(hashes, null, 2)}\n`);
process.stdout.write(`${index.map(([file]) => `  + ${file}`).join('\n')}\nCreated ${target}\n`);

// `node scripts/check-architecture.mjs`: keeps the layering and the export surface honest, in
// about a second, with the TypeScript compiler we already depend on (no knip or
// dependency-cruiser to install and configure for a dual ESM/CommonJS build and tsx-run tests).
// 1. Forbidden imports: each folder of src/ may import only the folders listed in LAYERS
//    (the arrows of docs/DESIGN.md), and encoders never the concrete Span or Tracer.
// 2. Unused exports: every name a src/ file exports is imported somewhere (src/, test/, bench/,
//    examples/), or is public (exported by an entry point named in package.json). A name its own
//    file uses counts as used (knip's `ignoreExportsUsedInFile`): exporting it is a choice of
//    surface, not dead code; and a type-only re-export (`export type { … } from`) costs nothing
//    at run time. What is left is code nobody runs.
// Exits 1 and lists every finding.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = fileURLToPath(new URL('..', import.meta.url));
const src = path.join(root, 'src');

/** Which folders of src/ each folder may import (besides itself). Entry files in src/ may import anything. */
const LAYERS = {
  tracer: [],
  sampling: ['config', 'tracer'],
  propagation: ['config', 'tracer'],
  encoding: ['tracer'],
  reporting: ['config', 'encoding', 'tracer'],
  // jaeger-client/ (issue 18's compatible API) and config/ import each other: listed as they are.
  config: ['jaeger-client', 'propagation', 'reporting', 'sampling', 'tracer'],
  'jaeger-client': ['config', 'propagation', 'reporting', 'sampling', 'tracer'],
  semantics: ['tracer'],
  hooks: [],
  plugins: ['hooks', 'semantics', 'tracer'],
  server: ['config', 'propagation', 'semantics', 'tracer'],
  testing: ['config', 'reporting', 'tracer'],
  // The viewer decodes what the exporters send; hooks/ only for own-url.ts.
  viewer: ['config', 'encoding', 'hooks', 'propagation', 'reporting', 'tracer'],
};
/** Leaf files at the top of src/ that any layer may import. */
const SHARED = ['version.ts'];
/** Files no file of a folder may import (encoders read the finished-span record, not the Span class). */
const FORBIDDEN_FILES = {
  encoding: ['tracer/span.ts', 'tracer/tracer.ts', 'tracer/span-context.ts'],
};

function filesUnder(dir, out = []) {
  let names;
  try {
    names = readdirSync(dir);
  } catch {
    return out;
  }
  for (const name of names) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const file = path.join(dir, name);
    if (statSync(file).isDirectory()) filesUnder(file, out);
    else if (/\.(ts|mts|cts)$/.test(name) && !name.endsWith('.d.ts')) out.push(file);
  }
  return out;
}

/** `./x.js` from `from` → the absolute .ts file, or null when it is not one of ours. */
function resolveSpecifier(from, specifier) {
  if (!specifier.startsWith('.')) return null;
  const base = path.resolve(path.dirname(from), specifier);
  for (const candidate of [base.replace(/\.(m|c)?js$/, '.$1ts'), base, `${base}.ts`, path.join(base, 'index.ts')]) {
    try {
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // try the next form
    }
  }
  return null;
}

const hasExport = (node) => ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);

/** Imports and exports of one file. */
function scan(file) {
  const text = readFileSync(file, 'utf8');
  const sourceFile = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const imports = []; // { target, names: string[] | '*', typeOnly, line }
  const exports = new Map(); // name → line
  const lineOf = (node) => sourceFile.getLineAndCharacterOfPosition(node.getStart(sourceFile)).line + 1;
  const visit = (node) => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const target = resolveSpecifier(file, node.moduleSpecifier.text);
      const clause = node.importClause;
      let names = [];
      if (clause?.name) names.push('default');
      const bindings = clause?.namedBindings;
      if (bindings && ts.isNamespaceImport(bindings)) names = '*';
      else if (bindings) for (const element of bindings.elements) names.push((element.propertyName ?? element.name).text);
      imports.push({ target, specifier: node.moduleSpecifier.text, names, line: lineOf(node) });
    } else if (ts.isExportDeclaration(node)) {
      const target = node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier) ? resolveSpecifier(file, node.moduleSpecifier.text) : null;
      if (node.exportClause && ts.isNamedExports(node.exportClause)) {
        const names = [];
        for (const element of node.exportClause.elements) {
          if (!(node.moduleSpecifier && (node.isTypeOnly || element.isTypeOnly))) exports.set(element.name.text, lineOf(element));
          names.push((element.propertyName ?? element.name).text);
        }
        if (node.moduleSpecifier) imports.push({ target, specifier: node.moduleSpecifier.text, names, line: lineOf(node), reexport: true });
        else imports.push({ target: file, names, line: lineOf(node), local: true });
      } else if (node.moduleSpecifier) {
        imports.push({ target, specifier: node.moduleSpecifier.text, names: '*', line: lineOf(node), reexport: true });
      }
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword && ts.isStringLiteral(node.arguments[0] ?? {})) {
      imports.push({ target: resolveSpecifier(file, node.arguments[0].text), specifier: node.arguments[0].text, names: '*', line: lineOf(node) });
    } else if (hasExport(node)) {
      if (ts.isVariableStatement(node)) {
        for (const declaration of node.declarationList.declarations) if (ts.isIdentifier(declaration.name)) exports.set(declaration.name.text, lineOf(node));
      } else if (node.name && ts.isIdentifier(node.name)) {
        const isDefault = (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.DefaultKeyword);
        exports.set(isDefault ? 'default' : node.name.text, lineOf(node));
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  // Paths named in strings (child-process sources in tests require src files by path): everything used.
  for (const match of text.matchAll(/['"`(]([^'"`()]*src\/[\w/.-]+\.ts)/g)) {
    const target = path.resolve(root, match[1].slice(match[1].indexOf('src/')));
    imports.push({ target, names: '*', line: 0 });
  }
  const usedInFile = (name) => (text.match(new RegExp(`\\b${name}\\b`, 'g')) ?? []).length > 1;
  return { imports, exports, usedInFile };
}

/** src files that package.json publishes (exports map and bin): their exports are public. */
function entryFiles() {
  const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
  const targets = [];
  const collect = (value) => {
    if (typeof value === 'string') targets.push(value);
    else if (value && typeof value === 'object') Object.values(value).forEach(collect);
  };
  collect(pkg.exports);
  collect(pkg.bin);
  const entries = new Set();
  for (const target of targets) {
    const match = /^\.\/dist\/(?:esm|cjs)\/(.+)\.(?:d\.ts|js)$/.exec(target);
    if (match) entries.add(path.join(src, `${match[1]}.ts`));
  }
  return entries;
}

const srcFiles = filesUnder(src);
const allFiles = [...srcFiles, ...['test', 'bench', 'examples', 'scripts'].flatMap((dir) => filesUnder(path.join(root, dir)))];
const scanned = new Map(allFiles.map((file) => [file, scan(file)]));
const findings = [];
const rel = (file) => path.relative(root, file);

// 1. Forbidden imports.
for (const file of srcFiles) {
  const folder = path.relative(src, file).split(path.sep)[0];
  if (folder.endsWith('.ts')) continue; // entry points wire everything
  const allowed = LAYERS[folder];
  for (const { target, line } of scanned.get(file).imports) {
    if (target === null || !target.startsWith(src)) continue;
    const targetRel = path.relative(src, target).split(path.sep).join('/');
    const targetFolder = targetRel.split('/')[0];
    if (targetFolder === folder || SHARED.includes(targetRel)) continue;
    if (allowed === undefined) {
      findings.push(`${rel(file)}: folder src/${folder}/ has no rule in scripts/check-architecture.mjs LAYERS`);
      break;
    }
    if (targetFolder.endsWith('.ts') || !allowed.includes(targetFolder)) {
      findings.push(`${rel(file)}:${line}: src/${folder}/ may not import src/${targetRel} (allowed: ${allowed.join(', ') || 'nothing outside itself'})`);
    } else if ((FORBIDDEN_FILES[folder] ?? []).includes(targetRel)) {
      findings.push(`${rel(file)}:${line}: src/${folder}/ may not import src/${targetRel}`);
    }
  }
}

// 2. Unused exports.
const used = new Map(); // file → Set of names, or '*'
const markUsed = (target, names) => {
  if (target === null) return;
  if (names === '*') used.set(target, '*');
  else if (used.get(target) !== '*') {
    const set = used.get(target) ?? new Set();
    for (const name of names) set.add(name);
    used.set(target, set);
  }
};
for (const [file, { imports }] of scanned) {
  for (const { target, names, local } of imports) if (!local && target !== file) markUsed(target, names);
}
const entries = entryFiles();
for (const file of srcFiles) {
  if (entries.has(file)) continue;
  const names = used.get(file);
  if (names === '*') continue;
  const { exports, usedInFile } = scanned.get(file);
  for (const [name, line] of exports) {
    if (names?.has(name) || usedInFile(name)) continue;
    findings.push(`${rel(file)}:${line}: export ${name} is used nowhere (remove it, or the export keyword)`);
  }
}

if (findings.length > 0) {
  console.error(`check-architecture: ${findings.length} finding(s)\n${findings.map((f) => `  ${f}`).join('\n')}`);
  process.exit(1);
}
console.log(`check-architecture: ${srcFiles.length} source files, layers and exports clean`);

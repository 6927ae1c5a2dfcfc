// Who imports what from the service modules: the data behind the exports check and the
// import rewrite. Parses only (no type checking), so it stays fast over the whole tree.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

export const SERVICES_DIR = 'src/main/services';

export interface ImportSite {
  /** Repository-relative importing file. */
  readonly from: string;
  /** Repository-relative imported file. */
  readonly to: string;
  readonly specifier: string;
  /** Names taken from the target; '*' for a namespace import or `export *`. */
  readonly names: readonly string[];
}

/** The service module a repository-relative path belongs to, if any. */
export function serviceModuleOf(path: string): string | undefined {
  const p = path.split('\\').join('/');
  if (!p.startsWith(`${SERVICES_DIR}/`)) return undefined;
  const rest = p.slice(SERVICES_DIR.length + 1);
  const slash = rest.indexOf('/');
  return slash < 0 ? undefined : rest.slice(0, slash);
}

export function serviceModules(root: string): string[] {
  return readdirSync(join(root, SERVICES_DIR))
    .filter((name) => statSync(join(root, SERVICES_DIR, name)).isDirectory())
    .sort();
}

export function sourceFiles(root: string, dir: string): string[] {
  const out: string[] = [];
  const walk = (abs: string): void => {
    for (const entry of readdirSync(abs, { withFileTypes: true })) {
      if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
      const child = join(abs, entry.name);
      if (entry.isDirectory()) walk(child);
      else if (/\.(ts|tsx|mts)$/.test(entry.name) && !entry.name.endsWith('.d.ts')) out.push(relative(root, child));
    }
  };
  if (existsSync(join(root, dir))) walk(join(root, dir));
  return out.sort();
}

function resolveTarget(root: string, fromFile: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const abs = resolve(root, dirname(fromFile), specifier);
  for (const candidate of [abs, `${abs}.ts`, `${abs}.tsx`, join(abs, 'index.ts')]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return relative(root, candidate);
  }
  return relative(root, abs);
}

/** Every relative import and re-export in one file, with the names it takes. */
export function importsOf(root: string, file: string): ImportSite[] {
  const text = readFileSync(join(root, file), 'utf8');
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false, file.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const sites: ImportSite[] = [];
  const add = (specifier: string, names: string[]): void => {
    const to = resolveTarget(root, file, specifier);
    if (to) sites.push({ from: file, to, specifier, names });
  };
  for (const statement of source.statements) {
    if (ts.isImportDeclaration(statement) && ts.isStringLiteral(statement.moduleSpecifier)) {
      const names: string[] = [];
      const clause = statement.importClause;
      if (clause?.name) names.push('default');
      const bindings = clause?.namedBindings;
      if (bindings && ts.isNamespaceImport(bindings)) names.push('*');
      if (bindings && ts.isNamedImports(bindings)) for (const el of bindings.elements) names.push((el.propertyName ?? el.name).text);
      add(statement.moduleSpecifier.text, names);
    } else if (ts.isExportDeclaration(statement) && statement.moduleSpecifier && ts.isStringLiteral(statement.moduleSpecifier)) {
      const clause = statement.exportClause;
      const names = !clause || ts.isNamespaceExport(clause) ? ['*'] : clause.elements.map((el) => (el.propertyName ?? el.name).text);
      add(statement.moduleSpecifier.text, names);
    }
  }
  // import('…') in types and dynamic imports: the names are not tracked, the edge is.
  const visit = (node: ts.Node): void => {
    if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      const qualifier = node.qualifier && ts.isIdentifier(node.qualifier) ? node.qualifier.text : '*';
      add(node.argument.literal.text, [qualifier]);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const [arg] = node.arguments;
      if (arg && ts.isStringLiteral(arg)) add(arg.text, ['*']);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return sites;
}

/** Names a door (index.ts) exports, by re-export or local declaration. */
export function doorExports(root: string, door: string): string[] {
  const text = readFileSync(join(root, door), 'utf8');
  const source = ts.createSourceFile(door, text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const names: string[] = [];
  for (const statement of source.statements) {
    if (ts.isExportDeclaration(statement)) {
      const clause = statement.exportClause;
      if (clause && ts.isNamedExports(clause)) for (const el of clause.elements) names.push(el.name.text);
      else names.push('*');
    } else if (ts.canHaveModifiers(statement) && ts.getModifiers(statement)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) {
      if (ts.isVariableStatement(statement)) {
        for (const d of statement.declarationList.declarations) if (ts.isIdentifier(d.name)) names.push(d.name.text);
      } else if ('name' in statement && statement.name && ts.isIdentifier(statement.name as ts.Node)) {
        names.push((statement.name as ts.Identifier).text);
      }
    }
  }
  return names;
}

export interface CrossModuleImport extends ImportSite {
  /** The service module imported into. */
  readonly module: string;
  /** The importer's service module, if it is one. */
  readonly fromModule: string | undefined;
}

/** Imports of a service module's files from files outside that module. */
export function crossModuleImports(root: string, files: readonly string[]): CrossModuleImport[] {
  const out: CrossModuleImport[] = [];
  for (const file of files) {
    const fromModule = serviceModuleOf(file);
    for (const site of importsOf(root, file)) {
      const module = serviceModuleOf(site.to);
      if (module && module !== fromModule) out.push({ ...site, module, fromModule });
    }
  }
  return out;
}

export function isDoor(path: string): boolean {
  const module = serviceModuleOf(path);
  return module !== undefined && path.split('\\').join('/') === `${SERVICES_DIR}/${module}/index.ts`;
}

import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import ts from 'typescript';

/** Route → handler → use case reads as one name: `functions/http/<name>.ts` awaits the use case `<name>`. */
const HANDLERS = readdirSync(__dirname)
  .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
  .map((f) => join(__dirname, f));

/** The use cases a handler module imports, and the functions it awaits, read from its syntax tree (not its text). */
const useCasesAwaited = (file: string) => {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const useCases = new Set<string>();
  const awaited: string[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier) && node.moduleSpecifier.text.includes('/shared/usecases/')) {
      const bindings = node.importClause?.namedBindings;
      if (bindings && ts.isNamedImports(bindings)) for (const e of bindings.elements) if (!e.isTypeOnly) useCases.add(e.name.text);
    }
    if (ts.isAwaitExpression(node) && ts.isCallExpression(node.expression) && ts.isIdentifier(node.expression.expression)) awaited.push(node.expression.expression.text);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return awaited.filter((name) => useCases.has(name));
};

describe('HTTP handlers and their use cases', () => {
  it('finds the handler modules', () => expect(HANDLERS.length).toBeGreaterThan(20));

  it.each(HANDLERS.map((f) => [basename(f, '.ts'), f]))('%s awaits the use case of its own name, and only it', (name, file) => {
    expect(useCasesAwaited(file)).toEqual([name]);
  });
});

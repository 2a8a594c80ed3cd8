/**
 * The public API of the library, read from its entry point with the TypeScript compiler:
 * what the package exports, with the TSDoc of every exported declaration and member.
 * One model for two readers: the API.md renderer and the check that every prop is documented.
 */
import { dirname } from 'node:path';
import * as ts from 'typescript';

export interface DocTag {
  readonly name: string;
  readonly text: string;
}

export interface Documentation {
  /** The comment's text before its tags; empty when there is none. */
  readonly summary: string;
  readonly tags: DocTag[];
}

export interface ApiMember {
  readonly name: string;
  readonly kind: 'property' | 'method';
  /** For a property its type, for a method its parameters and return type, as written. */
  readonly signature: string;
  readonly optional: boolean;
  readonly isStatic: boolean;
  readonly docs: Documentation;
}

export interface ApiParameter {
  readonly name: string;
  readonly type: string;
  readonly optional: boolean;
  readonly description: string;
}

export interface ApiDeclaration {
  readonly name: string;
  /** A construct is a class that extends `Construct`. */
  readonly kind: 'construct' | 'class' | 'interface' | 'other';
  readonly docs: Documentation;
  /** What a class extends, or the interfaces an interface extends, as written. */
  readonly heritage: string[];
  /** A class's constructor parameters. */
  readonly parameters: ApiParameter[];
  /** A class's own public members; all properties of an interface, inherited ones included. */
  readonly members: ApiMember[];
  /** For `other` declarations: their type. */
  readonly type?: string;
}

/** Reads the declarations exported by `entryFile`, in export order. */
export function readPublicApi(entryFile: string, tsconfigFile: string): ApiDeclaration[] {
  const program = ts.createProgram([entryFile], compilerOptions(tsconfigFile));
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(entryFile);
  const moduleSymbol = source && checker.getSymbolAtLocation(source);
  if (!moduleSymbol) throw new Error(`${entryFile} is not a module the compiler can read`);
  return checker.getExportsOfModule(moduleSymbol).map((exported) => {
    const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
    return describeDeclaration(checker, exported.name, symbol);
  });
}

function compilerOptions(tsconfigFile: string): ts.CompilerOptions {
  const { config, error } = ts.readConfigFile(tsconfigFile, ts.sys.readFile);
  if (error) throw new Error(ts.flattenDiagnosticMessageText(error.messageText, '\n'));
  return { ...ts.parseJsonConfigFileContent(config, ts.sys, dirname(tsconfigFile)).options, noEmit: true };
}

function describeDeclaration(checker: ts.TypeChecker, name: string, symbol: ts.Symbol): ApiDeclaration {
  const declaration = symbol.declarations?.[0];
  const docs = documentation(checker, symbol);
  if (declaration && ts.isClassDeclaration(declaration)) {
    const constructorDeclaration = declaration.members.find(ts.isConstructorDeclaration);
    return {
      name,
      kind: extendsConstruct(checker, checker.getDeclaredTypeOfSymbol(symbol)) ? 'construct' : 'class',
      docs,
      heritage: heritage(declaration),
      parameters: constructorDeclaration?.parameters.map(parameter) ?? [],
      members: declaration.members.filter(isPublic).flatMap((member) => classMember(checker, member)),
    };
  }
  if (declaration && ts.isInterfaceDeclaration(declaration)) {
    const properties = checker.getPropertiesOfType(checker.getDeclaredTypeOfSymbol(symbol));
    return {
      name,
      kind: 'interface',
      docs,
      heritage: heritage(declaration),
      parameters: [],
      members: properties.map((property) => propertyMember(checker, property)),
    };
  }
  const type = declaration ? checker.typeToString(checker.getTypeOfSymbolAtLocation(symbol, declaration)) : 'unknown';
  return { name, kind: 'other', docs, heritage: [], parameters: [], members: [], type };
}

function documentation(checker: ts.TypeChecker, symbol: ts.Symbol): Documentation {
  return {
    summary: ts.displayPartsToString(symbol.getDocumentationComment(checker)).trim(),
    tags: symbol.getJsDocTags(checker).map((tag) => ({ name: tag.name, text: ts.displayPartsToString(tag.text).trim() })),
  };
}

function extendsConstruct(checker: ts.TypeChecker, type: ts.Type): boolean {
  const bases = type.isClassOrInterface() ? checker.getBaseTypes(type) : [];
  return bases.some((base) => base.symbol?.name === 'Construct' || extendsConstruct(checker, base));
}

function heritage(declaration: ts.ClassDeclaration | ts.InterfaceDeclaration): string[] {
  return (declaration.heritageClauses ?? []).flatMap((clause) => clause.types.map((type) => type.getText()));
}

/** Members a user can reach: not private, protected, `@internal` or `_`-prefixed. */
function isPublic(member: ts.ClassElement): boolean {
  const modifiers = ts.canHaveModifiers(member) ? (ts.getModifiers(member) ?? []) : [];
  const hidden = modifiers.some((m) => m.kind === ts.SyntaxKind.PrivateKeyword || m.kind === ts.SyntaxKind.ProtectedKeyword);
  const name = member.name?.getText() ?? '';
  return !hidden && !name.startsWith('_') && !name.startsWith('#') && !ts.getJSDocTags(member).some((t) => t.tagName.text === 'internal');
}

function classMember(checker: ts.TypeChecker, member: ts.ClassElement): ApiMember[] {
  const symbol = member.name && checker.getSymbolAtLocation(member.name);
  if (!symbol) return [];
  const isStatic = (ts.getCombinedModifierFlags(member as ts.Declaration) & ts.ModifierFlags.Static) !== 0;
  if (ts.isMethodDeclaration(member)) {
    const parameters = member.parameters.map((p) => p.getText()).join(', ');
    const returns = member.type ? `: ${member.type.getText()}` : '';
    const docs = documentation(checker, symbol);
    return [{ name: symbol.name, kind: 'method', signature: `(${parameters})${returns}`, optional: false, isStatic, docs }];
  }
  if (ts.isPropertyDeclaration(member) || ts.isGetAccessorDeclaration(member)) {
    return [{ ...propertyMember(checker, symbol), isStatic }];
  }
  return [];
}

function propertyMember(checker: ts.TypeChecker, symbol: ts.Symbol): ApiMember {
  const declaration = symbol.declarations?.[0];
  const written = declaration && 'type' in declaration ? (declaration.type as ts.TypeNode | undefined) : undefined;
  const signature =
    written?.getText() ?? (declaration ? checker.typeToString(checker.getTypeOfSymbolAtLocation(symbol, declaration)) : 'unknown');
  return {
    name: symbol.name,
    kind: 'property',
    signature,
    optional: (symbol.flags & ts.SymbolFlags.Optional) !== 0,
    isStatic: false,
    docs: documentation(checker, symbol),
  };
}

function parameter(declaration: ts.ParameterDeclaration): ApiParameter {
  const description = ts
    .getJSDocParameterTags(declaration)
    .map((tag) => (typeof tag.comment === 'string' ? tag.comment : ts.getTextOfJSDocComment(tag.comment) ?? ''))
    .join(' ')
    .trim();
  return {
    name: declaration.name.getText(),
    type: declaration.type?.getText() ?? 'unknown',
    optional: declaration.questionToken !== undefined || declaration.initializer !== undefined,
    description,
  };
}

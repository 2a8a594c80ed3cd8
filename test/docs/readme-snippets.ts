/**
 * The TypeScript snippets of a Markdown document, made into programs that compile and run.
 *
 * Every ```ts block is a program of its own, written as a user would save it in a CDK app,
 * unless an HTML comment on the line before it says otherwise:
 *
 * - `<!-- snippet: continues the previous one -->`: the block is appended to the program of
 *   the previous block (it uses the `stack` declared there, say);
 * - `<!-- snippet: in a Stack's constructor -->`: the block is the body of a Stack subclass's
 *   constructor (`this` is the stack), in an app of its own that imports `App`, `Stack`,
 *   `Construct` and `EmailAddressAlias`.
 */

const CONTINUES = '<!-- snippet: continues the previous one -->';
const IN_STACK_CONSTRUCTOR = "<!-- snippet: in a Stack's constructor -->";

/** One program made of one or more consecutive snippets. */
export interface SnippetProgram {
  /** Where its first snippet starts: the heading above it and its line in the document. */
  readonly name: string;
  /** A file name for it, unique in the document. */
  readonly fileName: string;
  readonly source: string;
}

interface Snippet {
  readonly line: number;
  readonly heading: string;
  readonly marker: string | undefined;
  readonly code: string;
}

/** Every ```ts block of `markdown`, made into programs by the markers above. */
export function snippetPrograms(markdown: string): SnippetProgram[] {
  const programs: SnippetProgram[] = [];
  for (const snippet of snippetsOf(markdown)) {
    const header = `// README.md line ${snippet.line}\n`;
    if (snippet.marker === CONTINUES) {
      const previous = programs.pop();
      if (!previous) throw new Error(`README.md line ${snippet.line}: "${CONTINUES}" with no snippet before it.`);
      programs.push({ ...previous, source: `${previous.source}\n${header}${snippet.code}` });
      continue;
    }
    if (snippet.marker !== undefined && snippet.marker !== IN_STACK_CONSTRUCTOR) {
      throw new Error(`README.md line ${snippet.line}: unknown marker ${snippet.marker}.`);
    }
    const code = snippet.marker === IN_STACK_CONSTRUCTOR ? inStackConstructor(snippet.code) : snippet.code;
    programs.push({
      name: `"${snippet.heading}", README.md line ${snippet.line}`,
      fileName: `snippet-line-${snippet.line}.ts`,
      source: `${header}${code}`,
    });
  }
  return programs;
}

/** How many ```ts blocks `markdown` has, counted apart from the parser as a check on it. */
export function countTypeScriptFences(markdown: string): number {
  return markdown.split('\n').filter((line) => line.trimEnd() === '```ts').length;
}

function snippetsOf(markdown: string): Snippet[] {
  const lines = markdown.split('\n');
  const snippets: Snippet[] = [];
  let heading = '(top)';
  for (let i = 0; i < lines.length; i++) {
    const fence = /^(`{3,})(\S*)\s*$/.exec(lines[i]);
    if (!fence) {
      const title = /^#{1,6}\s+(.*)$/.exec(lines[i]);
      if (title) heading = title[1];
      continue;
    }
    const end = lines.findIndex((line, j) => j > i && line.trimEnd() === fence[1]);
    if (end < 0) throw new Error(`README.md line ${i + 1}: the code block is never closed.`);
    if (fence[2] === 'ts') {
      const before = lines.slice(0, i).reverse().find((line) => line.trim() !== '')?.trim();
      const marker = before?.startsWith('<!-- snippet:') ? before : undefined;
      snippets.push({ line: i + 1, heading, marker, code: lines.slice(i + 1, end).join('\n') });
    }
    i = end;
  }
  return snippets;
}

function inStackConstructor(body: string): string {
  const indented = body
    .split('\n')
    .map((line) => (line ? `    ${line}` : line))
    .join('\n');
  return [
    "import { App, Stack } from 'aws-cdk-lib';",
    "import { Construct } from 'constructs';",
    "import { EmailAddressAlias } from 'cdk-connect-email-address-alias';",
    '',
    'class SnippetStack extends Stack {',
    '  constructor(scope: Construct, id: string) {',
    '    super(scope, id);',
    indented,
    '  }',
    '}',
    '',
    "new SnippetStack(new App(), 'SnippetStack');",
  ].join('\n');
}

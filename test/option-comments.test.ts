// Each transport option's doc comment (what an editor shows on hover) says the default the
// option table has: the comment is written by hand beside the entry, so a test keeps them equal.
import { readFileSync } from 'node:fs'
import t from 'tap'
import ts from 'typescript'
import type { OptionTable } from '../packages/core/src/option-table.ts'
import { OPTIONS as HTTP } from '../packages/http-async/src/options.ts'
import { OPTIONS as BUFFER } from '../packages/memory-buffer/src/options.ts'
import { OPTIONS as SMTP } from '../packages/smtp-async/src/options.ts'

/** The doc comment above each property of `const OPTIONS = Object.freeze({ ... })`. */
function entryComments(file: string): Map<string, string> {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true)
  const comments = new Map<string, string>()
  const visit = (node: ts.Node): void => {
    if (ts.isVariableDeclaration(node) && node.name.getText() === 'OPTIONS' && node.initializer !== undefined) {
      const call = node.initializer as ts.CallExpression
      for (const property of (call.arguments[0] as ts.ObjectLiteralExpression).properties) {
        const docs = ts.getJSDocCommentsAndTags(property).map((doc) => doc.getText())
        comments.set(property.name?.getText() ?? '', docs.join(' ').replace(/\s*\n\s*\*?\s*/g, ' '))
      }
    }
    ts.forEachChild(node, visit)
  }
  visit(source)
  return comments
}

const plain = (text: string) => text.replaceAll('`', '').toLowerCase()

function problems(name: string, table: OptionTable): string[] {
  const comments = entryComments(new URL(`../packages/${name}/src/options.ts`, import.meta.url).pathname)
  const found: string[] = []
  for (const [key, option] of Object.entries(table)) {
    const comment = comments.get(key)
    if (comment === undefined || comment === '') found.push(`${name} ${key}: no doc comment`)
    else if (option.shown === 'required' && !comment.includes('Required'))
      found.push(`${name} ${key}: not said required`)
    else if (!['none', 'required'].includes(option.shown) && !plain(comment).includes(`default ${plain(option.shown)}`))
      found.push(`${name} ${key}: the comment does not say "Default ${option.shown}"`)
  }
  return found
}

t.test("every option's doc comment says its default, as the table has it", async (t) => {
  t.same([...problems('memory-buffer', BUFFER), ...problems('smtp-async', SMTP), ...problems('http-async', HTTP)], [])
})

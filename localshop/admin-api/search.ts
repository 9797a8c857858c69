/**
 * A subset of Shopify's search syntax (the `query` argument of connections):
 *
 *   aurora phone                 free text: every word must match (implicit AND)
 *   title:Aurora  tag:case       field terms; values are case-insensitive
 *   title:"Aurora Phone"         quoted phrase
 *   title:Aur*                   prefix match
 *   id:1001  id:>=1005           numeric comparisons on the legacy id (also created_at, …)
 *   -tag:draft  NOT tag:draft    negation
 *   tag:case OR tag:screen-film  OR binds looser than AND; parentheses group
 *
 * Like Shopify, a term on a field the resource does not support is ignored (it matches
 * everything) and reported as a warning. Dates compare as ISO strings.
 */

export type Comparator = ":" | ":<" | ":<=" | ":>" | ":>=";

export type SearchNode =
  | { kind: "and"; children: SearchNode[] }
  | { kind: "or"; children: SearchNode[] }
  | { kind: "not"; child: SearchNode }
  | { kind: "term"; field: string | null; comparator: Comparator; value: string; prefix: boolean; quoted: boolean };

type Token =
  | { t: "lparen" }
  | { t: "rparen" }
  | { t: "minus" }
  | { t: "word"; field: string | null; comparator: Comparator; value: string; quoted: boolean };

function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const isSpace = (c: string) => /\s/.test(c);
  while (i < input.length) {
    const c = input[i]!;
    if (isSpace(c)) {
      i++;
      continue;
    }
    if (c === "(") {
      tokens.push({ t: "lparen" });
      i++;
      continue;
    }
    if (c === ")") {
      tokens.push({ t: "rparen" });
      i++;
      continue;
    }
    if (c === "-" && i + 1 < input.length && !isSpace(input[i + 1]!)) {
      tokens.push({ t: "minus" });
      i++;
      continue;
    }
    // A word: [field(:|:<|:<=|:>|:>=)](value | "quoted value")
    let field: string | null = null;
    let comparator: Comparator = ":";
    const fieldMatch = /^([A-Za-z_][A-Za-z0-9_.]*)(:<=|:>=|:<|:>|:)/.exec(input.slice(i));
    if (fieldMatch) {
      field = fieldMatch[1]!.toLowerCase();
      comparator = fieldMatch[2] as Comparator;
      i += fieldMatch[0].length;
    }
    let value = "";
    let quoted = false;
    if (input[i] === '"' || input[i] === "'") {
      const quote = input[i]!;
      quoted = true;
      i++;
      while (i < input.length && input[i] !== quote) {
        if (input[i] === "\\" && i + 1 < input.length) i++;
        value += input[i];
        i++;
      }
      i++; // closing quote (tolerate a missing one)
    } else {
      while (i < input.length && !isSpace(input[i]!) && input[i] !== "(" && input[i] !== ")") {
        if (input[i] === "\\" && i + 1 < input.length) i++;
        value += input[i];
        i++;
      }
    }
    tokens.push({ t: "word", field, comparator, value, quoted });
  }
  return tokens;
}

/** Parses a search string. An empty or blank string gives null (match everything). */
export function parseSearchQuery(input: string | null | undefined): SearchNode | null {
  if (!input || !input.trim()) return null;
  const tokens = tokenize(input);
  let pos = 0;
  const peek = () => tokens[pos];
  const isKeyword = (tok: Token | undefined, kw: string) =>
    tok?.t === "word" && tok.field === null && !tok.quoted && tok.value === kw;

  function parseOr(): SearchNode | null {
    const children: SearchNode[] = [];
    const first = parseAnd();
    if (first) children.push(first);
    while (isKeyword(peek(), "OR")) {
      pos++;
      const next = parseAnd();
      if (next) children.push(next);
    }
    if (children.length === 0) return null;
    return children.length === 1 ? children[0]! : { kind: "or", children };
  }

  function parseAnd(): SearchNode | null {
    const children: SearchNode[] = [];
    for (;;) {
      const tok = peek();
      if (!tok || tok.t === "rparen" || isKeyword(tok, "OR")) break;
      if (isKeyword(tok, "AND")) {
        pos++;
        continue;
      }
      const unary = parseUnary();
      if (unary) children.push(unary);
    }
    if (children.length === 0) return null;
    return children.length === 1 ? children[0]! : { kind: "and", children };
  }

  function parseUnary(): SearchNode | null {
    const tok = peek();
    if (!tok) return null;
    if (tok.t === "minus" || isKeyword(tok, "NOT")) {
      pos++;
      const child = parseUnary();
      return child ? { kind: "not", child } : null;
    }
    if (tok.t === "lparen") {
      pos++;
      const inner = parseOr();
      if (peek()?.t === "rparen") pos++;
      return inner;
    }
    if (tok.t === "rparen") {
      pos++;
      return null;
    }
    pos++;
    const prefix = !tok.quoted && tok.value.endsWith("*") && tok.value.length > 1;
    return {
      kind: "term",
      field: tok.field,
      comparator: tok.comparator,
      value: prefix ? tok.value.slice(0, -1) : tok.value,
      prefix,
      quoted: tok.quoted,
    };
  }

  const tree = parseOr();
  // Stray closing parentheses: keep parsing what follows as further AND terms.
  const rest: SearchNode[] = [];
  while (pos < tokens.length) {
    pos++;
    const more = parseOr();
    if (more) rest.push(more);
  }
  if (rest.length === 0) return tree;
  return { kind: "and", children: [...(tree ? [tree] : []), ...rest] };
}

/** How one field of a resource matches a term. */
export type FieldMatcher<T> =
  | { kind: "text"; get: (item: T) => string | string[] } // word/phrase match
  | { kind: "keyword"; get: (item: T) => string | string[] | null } // whole-value match
  | { kind: "number"; get: (item: T) => number | null }
  | { kind: "date"; get: (item: T) => string | null }
  | { kind: "boolean"; get: (item: T) => boolean }
  /** Full control: gets the term's value, comparator and prefix flag. */
  | { kind: "custom"; match: (item: T, term: { value: string; comparator: Comparator; prefix: boolean }) => boolean };

export interface SearchSpec<T> {
  fields: Record<string, FieldMatcher<T>>;
  /** Texts a field-less term is matched against. */
  freeText: (item: T) => string[];
}

export interface SearchWarning {
  field: string;
  message: string;
  code: "invalid_field" | "invalid_value";
}

const normalize = (s: string) => s.toLocaleLowerCase("en");
const words = (s: string) => normalize(s).split(/[^\p{L}\p{N}]+/u).filter(Boolean);

function textMatches(haystack: string, needle: string, prefix: boolean): boolean {
  const hayWords = words(haystack);
  const needleWords = words(needle);
  if (needleWords.length === 0) return true;
  // The needle's words must appear consecutively; the last may be a prefix.
  for (let start = 0; start + needleWords.length <= hayWords.length; start++) {
    let ok = true;
    for (let k = 0; k < needleWords.length; k++) {
      const h = hayWords[start + k]!;
      const n = needleWords[k]!;
      const last = k === needleWords.length - 1;
      if (!(h === n || (last && prefix && h.startsWith(n)))) {
        ok = false;
        break;
      }
    }
    if (ok) return true;
  }
  return false;
}

function compare(a: number | string, b: number | string, comparator: Comparator): boolean {
  switch (comparator) {
    case ":":
      return a === b;
    case ":<":
      return a < b;
    case ":<=":
      return a <= b;
    case ":>":
      return a > b;
    case ":>=":
      return a >= b;
  }
}

function numericId(value: string): number | null {
  const tail = /(\d+)$/.exec(value.trim());
  return tail ? Number(tail[1]) : null;
}

/** Filters items by a parsed query; returns the matches and warnings for unknown fields. */
export function filterBySearch<T>(
  items: readonly T[],
  query: string | null | undefined,
  spec: SearchSpec<T>,
): { items: T[]; warnings: SearchWarning[] } {
  const tree = parseSearchQuery(query);
  const warnings: SearchWarning[] = [];
  if (!tree) return { items: [...items], warnings };

  const warned = new Set<string>();
  const warn = (w: SearchWarning) => {
    const k = `${w.code}:${w.field}`;
    if (!warned.has(k)) {
      warned.add(k);
      warnings.push(w);
    }
  };

  const matchTerm = (item: T, term: Extract<SearchNode, { kind: "term" }>): boolean => {
    if (term.field === null) {
      if (!term.value) return true;
      return spec.freeText(item).some((text) => textMatches(text, term.value, term.prefix || !term.quoted));
    }
    const matcher = spec.fields[term.field];
    if (!matcher) {
      warn({ field: term.field, message: "Invalid search field for this query.", code: "invalid_field" });
      return true;
    }
    switch (matcher.kind) {
      case "text": {
        const got = ([] as string[]).concat(matcher.get(item));
        return got.some((text) => textMatches(text, term.value, term.prefix));
      }
      case "keyword": {
        const raw = matcher.get(item);
        if (raw === null) return term.value === "";
        const got = ([] as string[]).concat(raw).map(normalize);
        const want = normalize(term.value);
        return got.some((g) => (term.prefix ? g.startsWith(want) : g === want));
      }
      case "number": {
        const got = matcher.get(item);
        const want = numericId(term.value);
        if (want === null) {
          warn({ field: term.field, message: `Invalid value for ${term.field}.`, code: "invalid_value" });
          return false;
        }
        return got !== null && compare(got, want, term.comparator);
      }
      case "date": {
        const got = matcher.get(item);
        const parsed = Date.parse(term.value);
        if (Number.isNaN(parsed)) {
          warn({ field: term.field, message: `Invalid value for ${term.field}.`, code: "invalid_value" });
          return false;
        }
        if (got === null) return false;
        // A bare date compares against the day: created_at:2026-01-15 means that whole day.
        const day = /^\d{4}-\d{2}-\d{2}$/.test(term.value.trim());
        const t = Date.parse(got);
        if (day && term.comparator === ":") return t >= parsed && t < parsed + 86_400_000;
        if (day && term.comparator === ":<=") return t < parsed + 86_400_000;
        if (day && term.comparator === ":>") return t >= parsed + 86_400_000;
        return compare(t, parsed, term.comparator);
      }
      case "boolean":
        return matcher.get(item) === (normalize(term.value) === "true");
      case "custom":
        return matcher.match(item, term);
    }
  };

  const evaluate = (item: T, node: SearchNode): boolean => {
    switch (node.kind) {
      case "and":
        return node.children.every((c) => evaluate(item, c));
      case "or":
        return node.children.some((c) => evaluate(item, c));
      case "not":
        return !evaluate(item, node.child);
      case "term":
        return matchTerm(item, node);
    }
  };

  const matched = items.filter((item) => evaluate(item, tree));
  return { items: matched, warnings };
}

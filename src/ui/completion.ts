// Shell completion scripts (bash, zsh, fish), written from the command list: commands,
// their options with descriptions in the user's language (zsh and fish show them), the
// values an option takes, and ids, which the script asks the ledger in reach for through
// `rectify completion ids KIND` (fast: one query, nothing else loaded). Pure: text in, text out.

export interface CompletionOption {
  short?: string;
  long: string;
  takesValue: boolean;
  description: string;
}

export interface CompletionCommand {
  name: string;
  aliases: string[];
  summary: string;
  options: CompletionOption[];
  /** What the positional arguments complete to: ids of a kind, files, or nothing. */
  operand: IdKind | 'files' | null;
}

/** `done`: items that are done (what `verify` takes). */
export type IdKind = 'item' | 'measure' | 'problem' | 'area' | 'any' | 'log' | 'done';

export interface CompletionModel {
  commands: CompletionCommand[];
  global: CompletionOption[];
  /** Fixed values of an option (`--status`, `--term`, `--format`…), by command ('' for any),
   *  with what each means in the user's language where it is a word (zsh and fish show it:
   *  `open  -- 未开始`). */
  values: { command: string; long: string; values: string[]; labels?: string[] }[];
  /** Options whose value is an id of a kind (`--measure`, `--addresses`), or a file. */
  optionIds: { long: string; kind: IdKind | 'files' }[];
}

/** Splits commander's flags (`-m, --message <note>`) into the parts a shell needs. */
export function parseFlags(flags: string, description: string): CompletionOption {
  const short = /(?:^|[ ,])-([A-Za-z])\b/.exec(flags)?.[1];
  const long = /--([a-z][a-z-]*)/.exec(flags)?.[1] ?? '';
  return { ...(short ? { short } : {}), long, takesValue: /[<[]/.test(flags), description };
}

const oneLine = (s: string) => s.replace(/\s+/g, ' ').trim();
/** A word for a single-quoted shell string. */
const sq = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

function valueSpec(m: CompletionModel, command: string, long: string) {
  const own = m.values.find((v) => v.command === command && v.long === long);
  return own ?? m.values.find((v) => v.command === '' && v.long === long) ?? null;
}
function valuesFor(m: CompletionModel, command: string, long: string): string[] | null {
  return valueSpec(m, command, long)?.values ?? null;
}
/** zsh: the values with their meanings for _describe (`open:未开始`), or plain compadd. */
function zshValues(m: CompletionModel, command: string, long: string): string | null {
  const v = valueSpec(m, command, long);
  if (!v) return null;
  if (!v.labels) return `compadd -- ${v.values.map(sq).join(' ')}`;
  return `local -a vals; vals=(${v.values.map((x, k) => zdesc(x, v.labels![k] ?? '')).join(' ')}); _describe 'value' vals`;
}

// --- bash -------------------------------------------------------------------------------

export function bashScript(m: CompletionModel): string {
  const names = m.commands.flatMap((c) => [c.name, ...c.aliases]);
  const globalWords = m.global.map((o) => `--${o.long}`);
  const optCases = m.commands.map((c) =>
    `    ${[c.name, ...c.aliases].join('|')}) opts=${sq([...c.options.map((o) => `--${o.long}`), ...globalWords, '--help'].join(' '))} ;;`);
  const valueCases: string[] = [];
  for (const c of m.commands) {
    for (const o of c.options) {
      const v = valuesFor(m, c.name, o.long);
      if (v) valueCases.push(`    ${[c.name, ...c.aliases].map((n) => `${n}:--${o.long}`).join('|')}) words=${sq(v.join(' '))} ;;`);
    }
  }
  for (const o of m.global) {
    const v = valuesFor(m, '', o.long);
    if (v) valueCases.push(`    *:--${o.long}) words=${sq(v.join(' '))} ;;`);
  }
  const idOpts = m.optionIds.map((o) => `    --${o.long}) _rectify_ids ${o.kind}; return ;;`);
  const operandCases = m.commands
    .filter((c) => c.operand !== null)
    .map((c) => `    ${[c.name, ...c.aliases].join('|')}) ${c.operand === 'files' ? 'COMPREPLY=($(compgen -f -- "$cur"))' : `_rectify_ids ${c.operand}`} ;;`);
  return `# rectify completion for bash. Install: add to ~/.bashrc
#   eval "$(rectify completion bash)"  # i18n-ok
_rectify_ids() {
  # Ids from the ledger in reach (--db on the line if given); the last of a comma list. The
  # ledger matches the typed start without regard to case (m1. offers M1.1), as commands do.
  local db=() i pre="" word="$cur" id
  for ((i=1; i<COMP_CWORD; i++)); do [[ "\${COMP_WORDS[i]}" == --db ]] && db=(--db "\${COMP_WORDS[i+1]}"); done
  if [[ "$cur" == *,* ]]; then pre="\${cur%,*},"; word="\${cur##*,}"; fi
  COMPREPLY=()
  while IFS= read -r id; do [[ -n "$id" ]] && COMPREPLY+=("$pre$id"); done < <(rectify "\${db[@]}" completion ids "$1" "$word" 2>/dev/null)  # i18n-ok
}
_rectify() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" prev="\${COMP_WORDS[COMP_CWORD-1]}" cmd="" i opts words
  for ((i=1; i<COMP_CWORD; i++)); do
    case "\${COMP_WORDS[i]}" in
      --db|--by|--lang) ((i++)) ;;
      -*) ;;
      *) cmd="\${COMP_WORDS[i]}"; break ;;
    esac
  done
  case "$cmd:$prev" in
${valueCases.join('\n')}
  esac
  if [[ -n "$words" ]]; then COMPREPLY=($(compgen -W "$words" -- "$cur")); return; fi
  case "$prev" in
${idOpts.join('\n')}
    --db|-o|--output) COMPREPLY=($(compgen -f -- "$cur")); return ;;
    --by|--due|--due-before|--as-of|--since|--days|--title|--detail|--owner|--department|-m|--message|--evidence) return ;;
  esac
  if [[ -z "$cmd" ]]; then
    if [[ "$cur" == -* ]]; then COMPREPLY=($(compgen -W ${sq([...globalWords, '--help', '--version'].join(' '))} -- "$cur"))
    else COMPREPLY=($(compgen -W ${sq(names.join(' '))} -- "$cur")); fi
    return
  fi
  if [[ "$cur" == -* ]]; then
    case "$cmd" in
${optCases.join('\n')}
      *) opts=${sq([...globalWords, '--help'].join(' '))} ;;
    esac
    COMPREPLY=($(compgen -W "$opts" -- "$cur"))
    return
  fi
  case "$cmd" in
${operandCases.join('\n')}
    help) COMPREPLY=($(compgen -W ${sq(names.join(' '))} -- "$cur")) ;;
  esac
}
complete -o default -F _rectify rectify
`;
}

// --- zsh --------------------------------------------------------------------------------

/** An entry of zsh's _describe: `name:description`, colons in the name escaped. */
const zdesc = (name: string, description: string) => sq(`${name.replace(/:/g, '\\:')}:${oneLine(description)}`);

export function zshScript(m: CompletionModel): string {
  const cmds = m.commands.flatMap((c) => [c.name, ...c.aliases].map((n) => `    ${zdesc(n, c.summary)}`));
  const globals = m.global.map((o) => `    ${zdesc(`--${o.long}`, o.description)}`);
  const optCases = m.commands.map((c) => `    ${[c.name, ...c.aliases].join('|')}) opts=(\n${c.options.map((o) => `      ${zdesc(`--${o.long}`, o.description)}`).join('\n')}\n    ) ;;`);
  const valueCases: string[] = [];
  for (const c of m.commands) {
    for (const o of c.options) {
      const v = valuesFor(m, c.name, o.long);
      const z = zshValues(m, c.name, o.long);
      if (v && z) valueCases.push(`    ${[c.name, ...c.aliases].map((n) => `${n}:--${o.long}`).join('|')}) ${z}; return ;;`);
    }
  }
  for (const o of m.global) {
    const z = zshValues(m, '', o.long);
    if (z) valueCases.push(`    *:--${o.long}) ${z}; return ;;`);
  }
  const idOpts = m.optionIds.map((o) => `    --${o.long}) ${o.kind === 'files' ? '_files' : `_rectify_ids ${o.kind}`}; return ;;`);
  const operandCases = m.commands
    .filter((c) => c.operand !== null)
    .map((c) => `    ${[c.name, ...c.aliases].join('|')}) ${c.operand === 'files' ? '_files' : `_rectify_ids ${c.operand}`} ;;`);
  return `#compdef rectify
# rectify completion for zsh. Install: add to ~/.zshrc (after compinit)
#   eval "$(rectify completion zsh)"  # i18n-ok
_rectify_ids() {
  local -a db ids
  local i
  for (( i = 2; i < CURRENT; i++ )); do [[ \${words[i]} == --db ]] && db=(--db \${words[i+1]}); done
  ids=(\${(f)"$(rectify $db completion ids $1 2>/dev/null)"})  # i18n-ok
  compset -P '*,'
  # Ids match without regard to case (m1. offers M1.1), as the commands take them.
  compadd -M 'm:{a-zA-Z}={A-Za-z}' -- $ids
}
_rectify() {
  local cmd="" prev=\${words[CURRENT-1]} i
  local -a cmds globals opts
  for (( i = 2; i < CURRENT; i++ )); do
    case \${words[i]} in
      --db|--by|--lang) (( i++ )) ;;
      -*) ;;
      *) cmd=\${words[i]}; break ;;
    esac
  done
  case "$cmd:$prev" in
${valueCases.join('\n')}
  esac
  case $prev in
${idOpts.join('\n')}
    --db|-o|--output) _files; return ;;
    --by|--due|--due-before|--as-of|--since|--days|--title|--detail|--owner|--department|-m|--message|--evidence) return ;;
  esac
  globals=(
${globals.join('\n')}
  )
  if [[ -z $cmd ]]; then
    if [[ \${words[CURRENT]} == -* ]]; then _describe 'option' globals
    else
      cmds=(
${cmds.join('\n')}
      )
      _describe 'command' cmds
    fi
    return
  fi
  if [[ \${words[CURRENT]} == -* ]]; then
    case $cmd in
${optCases.join('\n')}
    esac
    _describe 'option' opts -- globals
    return
  fi
  case $cmd in
${operandCases.join('\n')}
  esac
}
# Autoloaded from fpath (a file _rectify): complete now; sourced or eval'ed: register.
if [[ \$zsh_eval_context[-1] == loadautofunc ]]; then _rectify "\$@"; else compdef _rectify rectify; fi
`;
}

// --- fish -------------------------------------------------------------------------------

export function fishScript(m: CompletionModel): string {
  const out = [
    '# rectify completion for fish. Install:', // i18n-ok: shell code
    '#   rectify completion fish > ~/.config/fish/completions/rectify.fish', // i18n-ok: shell code
    'function __rectify_ids',
    '    set -l db',
    '    set -l toks (commandline -opc)',
    '    for i in (seq (count $toks))',
    '        if test "$toks[$i]" = --db', // i18n-ok: shell code
    '            set db --db $toks[(math $i + 1)]', // i18n-ok: shell code
    '        end',
    '    end',
    '    set -l cur (commandline -ct)',
    "    set -l pre (string match -r '^.*,' -- $cur)", // i18n-ok: shell code
    '    for id in (rectify $db completion ids $argv[1] 2>/dev/null)', // i18n-ok: shell code
    '        echo "$pre$id"',
    '    end',
    'end',
    'complete -c rectify -f',
  ];
  const subs = m.commands.flatMap((c) => [c.name, ...c.aliases]);
  const noSub = '__fish_use_subcommand';
  for (const o of m.global) {
    const v = valuesFor(m, '', o.long);
    out.push(`complete -c rectify -l ${o.long}${o.takesValue ? ' -r' : ''}${v ? ` -x -a ${sq(v.join(' '))}` : ''} -d ${sq(oneLine(o.description))}`);
  }
  for (const c of m.commands) {
    for (const n of [c.name, ...c.aliases]) out.push(`complete -c rectify -n ${noSub} -a ${n} -d ${sq(oneLine(c.summary))}`);
    const seen = `__fish_seen_subcommand_from ${[c.name, ...c.aliases].join(' ')}`;
    for (const o of c.options) {
      const spec = valueSpec(m, c.name, o.long);
      const v = spec?.values ?? null;
      const ids = m.optionIds.find((x) => x.long === o.long);
      let arg = '';
      // fish shows a candidate's description after a tab: open\t未开始.
      if (spec?.labels) arg = ` -x -a ${sq(`(printf '%s\\t%s\\n' ${spec.values.map((x, k) => `${sq(x)} ${sq(oneLine(spec.labels![k] ?? ''))}`).join(' ')})`)}`;
      else if (v) arg = ` -x -a ${sq(v.join(' '))}`;
      else if (ids) arg = ids.kind === 'files' ? ' -r -F' : ` -x -a ${sq(`(__rectify_ids ${ids.kind})`)}`;
      else if (o.takesValue) arg = ' -x';
      out.push(`complete -c rectify -n ${sq(seen)}${o.short ? ` -s ${o.short}` : ''} -l ${o.long}${arg} -d ${sq(oneLine(o.description))}`);
    }
    if (c.operand === 'files') out.push(`complete -c rectify -n ${sq(seen)} -F`);
    else if (c.operand) out.push(`complete -c rectify -n ${sq(seen)} -a ${sq(`(__rectify_ids ${c.operand})`)}`);
  }
  out.push(`complete -c rectify -n ${sq(`__fish_seen_subcommand_from help`)} -a ${sq(subs.join(' '))}`);
  return out.join('\n') + '\n';
}

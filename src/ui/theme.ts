// Every colour of the program. Colour is on only for a terminal, never with NO_COLOR
// or --no-color; without it the views stay readable by markers and layout alone.
import type { ChalkInstance } from 'chalk';

export interface Theme {
  enabled: boolean;
  heading(s: string): string;
  dim(s: string): string;
  id(s: string): string;
  overdue(s: string): string;
  warn(s: string): string;
  ok(s: string): string;
  error(s: string): string;
  status(status: string, s: string): string;
  bar(s: string): string;
  /** The unfilled part of a completion bar. */
  track(s: string): string;
  /** A light's word (红灯, yellow …): the word carries it without colour. */
  light(light: 'red' | 'yellow' | 'green', s: string): string;
}

const plain = (s: string) => s;
const PLAIN: Theme = {
  enabled: false,
  heading: plain, dim: plain, id: plain, overdue: plain, warn: plain, ok: plain, error: plain,
  status: (_status, s) => s, bar: plain, track: plain, light: (_light, s) => s,
};

export function makeTheme(enabled: boolean): Theme {
  if (!enabled) return PLAIN;
  // chalk (and the terminal probing it loads) only when there is colour to draw: a piped
  // command never needs it. esbuild bundles this require() and runs chalk on first call.
  const { Chalk } = require('chalk') as typeof import('chalk');
  const c: ChalkInstance = new Chalk({ level: 1 });
  return {
    enabled,
    heading: (s) => c.bold(s),
    dim: (s) => c.dim(s),
    id: (s) => c.cyan(s),
    overdue: (s) => c.red.bold(s),
    warn: (s) => c.yellow(s),
    ok: (s) => c.green(s),
    error: (s) => c.red(s),
    status: (status, s) =>
      status === 'verified' ? c.green(s)
      : status === 'done' ? c.green(s)
      : status === 'in_progress' ? c.yellow(s)
      : s,
    bar: (s) => c.green(s),
    track: (s) => c.dim(s),
    light: (light, s) => (light === 'red' ? c.red.bold(s) : light === 'yellow' ? c.yellow.bold(s) : c.green(s)),
  };
}

/** Colour when the stream is a terminal, unless NO_COLOR (any value) or --no-color says no.
 *  FORCE_COLOR turns it on for a pipe (tests use it). */
export function colorWanted(isTTY: boolean, env: NodeJS.ProcessEnv, noColorFlag: boolean): boolean {
  if (noColorFlag) return false;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== '') return true;
  return isTTY && env.TERM !== 'dumb';
}

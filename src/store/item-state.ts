// The row both stores read an item into before changing it (a command's unit of work, an
// import): its fields as stored, its pins as a bit mask, its addresses as a JSON array of
// problem ids. Types only: each store has its own SQL that fills it.
import type { Status, Term } from '../core/vocab.js';

export interface ItemStateRow {
  key: number;
  id: string;
  title: string;
  detail: string | null;
  owner: string | null;
  department: string | null;
  due: string | null;
  term: Term;
  status: Status;
  progress: number;
  pins: number;
  measure: number;
  measureId: string;
  addresses: string;
}

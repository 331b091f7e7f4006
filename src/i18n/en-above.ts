// Messages of what sits above one ledger: `repeats` and `overview`.
export const enAbove = {
  // repeats
  'help.ph.older': 'older',
  'help.ph.address': 'address',
  'repeats.summary': 'problems of this ledger that recur from an earlier one (the same problem, reworded), most similar first',
  'repeats.opt.against': 'the earlier ledger: a file, a postgres:// address, or another schema of this database',
  'repeats.opt.json': 'print JSON only: problem, title, olderProblem, olderTitle, score, olderItems',
  'repeats.missingAgainst': "which earlier ledger? name it with --against",
  'repeats.missingAgainstHint': 'rectify repeats --against 2023.db (a file, a postgres:// address, or a schema of this database)',
  'repeats.same': '--against names this same ledger',
  'repeats.otherUnit': 'the earlier ledger is of another unit ({older}, this one is {unit}); compared all the same',
  'repeats.head': 'Problems that recur from {older}: {n} of {total}',
  'repeats.none': 'No problem of this ledger recurs from {older} (of {total} problems, compared by meaning, least similarity {min}).',
  'repeats.then': 'then:',
  'repeats.noItems': 'no item addressed it',
  'repeats.itemsEnded': '{list}',
  'repeats.foot': 'Similarity: cosine of words and character pairs (0 to 1), at least {min}; a person should read each pair.',
  'repeats.opt.reportAgainst': 'end the report with the problems that recur from this earlier ledger (text and md)',
  'repeats.reportFormat': '--against adds a section to the text and md forms of the report, not to {format}',
  'repeats.section': 'Problems that recur from the earlier report',
} as const;

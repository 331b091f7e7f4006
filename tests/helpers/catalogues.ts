// Both catalogues, loaded before every test file: code under test may speak either language
// (t(key, params, 'zh'), setLang) without running the CLI, which loads just the one it needs.
import { loadLang } from '../../src/i18n/index.js';

await loadLang('zh');
await loadLang('en');

/**
 * ts-jest, plus one rewrite for NestJS 12's ES modules: once they are transpiled to
 * CommonJS, `import.meta.url` has to become the CommonJS equivalent.
 */
const { TsJestTransformer } = require('ts-jest');

const IMPORT_META_URL = /\bimport\.meta\.url\b/g;
const COMMONJS_URL = "require('node:url').pathToFileURL(__filename).href";
// `const require = createRequire(import.meta.url)` would redeclare CommonJS's own require.
const OWN_REQUIRE = /^\s*const require = createRequire\(import\.meta\.url\);?\s*$/m;

function toCommonJs(source) {
  return source
    .replace(OWN_REQUIRE, '')
    .replace(IMPORT_META_URL, COMMONJS_URL)
    .replace(/\bimport\.meta\.resolve\(/g, 'require.resolve(')
    .replace(/\bimport\.meta\.dirname\b/g, '__dirname')
    .replace(/\bimport\.meta\.filename\b/g, '__filename');
}

class Transformer extends TsJestTransformer {
  process(source, path, options) {
    return super.process(toCommonJs(source), path, options);
  }
  getCacheKey(source, path, options) {
    return super.getCacheKey(toCommonJs(source), path, options);
  }
}

module.exports = {
  createTransformer: (config) => new Transformer(config),
};

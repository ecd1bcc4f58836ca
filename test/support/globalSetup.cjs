// Jest runs global setup outside its module system (no moduleNameMapper), so tsx loads it.
require('tsx/cjs');
module.exports = require('./startDatabase.ts').default;

require('tsx/cjs');
module.exports = require('./stopDatabase.ts').default;

// Jest runs global setup outside its module system (no moduleNameMapper), so tsx loads it.
require('tsx/cjs');
const { buildAdminCliBundle } = require('./adminCliBundle.ts');
const startDatabase = require('./startDatabase.ts').default;

module.exports = async () => {
  // Workers start after this and inherit the environment.
  process.env.ATHOS_TEST_ADMIN_CLI = buildAdminCliBundle();
  await startDatabase();
};

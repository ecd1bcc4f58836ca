require('tsx/cjs');
const { removeAdminCliBundle } = require('./adminCliBundle.ts');
const stopDatabase = require('./stopDatabase.ts').default;

module.exports = async () => {
  removeAdminCliBundle(process.env.ATHOS_TEST_ADMIN_CLI);
  await stopDatabase();
};

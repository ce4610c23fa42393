// Each test file starts labeler-api on a freshly migrated database: slow on a loaded machine.
module.exports = { ...require('../../jest.preset.js'), displayName: 'labeler-api', testTimeout: 60_000 };

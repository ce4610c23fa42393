module.exports = { ...require('../../jest.preset.js'), displayName: 'labeler-api', passWithNoTests: true };

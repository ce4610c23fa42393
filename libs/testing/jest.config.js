module.exports = { ...require('../../jest.preset.js'), displayName: 'testing', passWithNoTests: true };

module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'explainer',
  testEnvironment: '../../jest.environment.js',
};

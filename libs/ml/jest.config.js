module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'ml',
  testEnvironment: '<rootDir>/jest.environment.js',
};

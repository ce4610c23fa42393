module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'ml',
  testEnvironment: '../../jest.environment.js',
};

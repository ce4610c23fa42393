module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'classifier',
  testEnvironment: '../../jest.environment.js',
};

module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'trainer',
  testEnvironment: '../../jest.environment.js',
};

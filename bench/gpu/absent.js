// Stands in for packages the GPU check bundle leaves out (image decoding, object storage): the
// check never calls them, but the modules it bundles import them.
module.exports = {};

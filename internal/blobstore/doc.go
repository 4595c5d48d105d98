// Package blobstore keeps HAR files where crawl workers and the service can
// share them: a local directory (file:///dir) or an S3-compatible bucket
// (s3://bucket/prefix on AWS, MinIO, R2). Objects are stored gzip-compressed
// under sanitised keys; a Put returns a ref (a URL) that any process opening
// the same store can Get.
package blobstore

/**
 * The Connector SPI: the user's code that opens, checks, prepares, cleans and closes
 * connections to one backend, and {@link dev.qorb.connector.TcpConnector}, a ready one for
 * plain TCP sockets.
 */
package dev.qorb.connector;

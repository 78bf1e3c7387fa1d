//! The crate's one error type. Messages are sentences for the person running the server or
//! the app.

use std::net::SocketAddr;

use insightdesk_graph::GraphError;
use insightdesk_store::{AccountId, StoreError};

#[derive(Debug, thiserror::Error)]
pub enum WebhookError {
    #[error(
        "Insightdesk could not listen for webhooks on {address} ({source}); is another program using that port?"
    )]
    Bind {
        address: SocketAddr,
        source: std::io::Error,
    },
    #[error(
        "The webhook server needs the App Secret of at least one Meta app: Meta signs every delivery with it, and a delivery that cannot be checked is refused."
    )]
    NoAppSecret,
    #[error("The webhook server stopped because of a network error ({0}).")]
    Serve(std::io::Error),
    #[error(
        "The webhook server's store writer stopped unexpectedly; deliveries are no longer stored."
    )]
    WriterStopped,
    #[error("Account {0} is not in this Insightdesk history; add the account before polling it.")]
    UnknownAccount(AccountId),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Graph(#[from] GraphError),
}

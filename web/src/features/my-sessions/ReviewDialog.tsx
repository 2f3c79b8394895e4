import { useState, type SubmitEvent } from 'react';
import type { Session } from '../../lib/types';
import { Dialog } from '../../ui/Dialog';
import { ErrorMessage } from '../../ui/states';
import { useReview } from './hooks';

export const ReviewDialog = ({ session, onClose }: { session: Session; onClose: () => void }) => {
  const review = useReview();
  const [rating, setRating] = useState(5);
  const [comment, setComment] = useState('');
  const submit = (e: SubmitEvent) => {
    e.preventDefault();
    review.mutate({ sessionId: session.id, rating, comment }, { onSuccess: onClose });
  };
  return (
    <Dialog open title={`Review “${session.title}” with ${session.tutor.displayName}`} onClose={onClose}>
      <form onSubmit={submit} className="form">
        <fieldset>
          <legend>Rating</legend>
          <div className="chips">
            {[1, 2, 3, 4, 5].map((n) => (
              <label key={n} className="inline">
                <input type="radio" name="rating" value={n} checked={rating === n} onChange={() => setRating(n)} />
                {n} {n === 1 ? 'star' : 'stars'}
              </label>
            ))}
          </div>
        </fieldset>
        <label>
          Comment
          <textarea value={comment} onChange={(e) => setComment(e.target.value)} maxLength={2000} rows={3} />
        </label>
        {review.isError ? <ErrorMessage error={review.error} /> : null}
        <div className="actions">
          <button type="submit" className="primary" disabled={review.isPending}>
            {review.isPending ? 'Sending…' : 'Send review'}
          </button>
          <button type="button" onClick={onClose}>
            Close
          </button>
        </div>
      </form>
    </Dialog>
  );
};
